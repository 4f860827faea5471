// A local SMTP sink in its own process: accepts everything, reports first/last arrival to its parent.
const { SMTPServer } = require('smtp-server');

let count = 0;
let first = 0;
let last = 0;
const target = Number(process.env.EXPECT || 0);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      count += 1;
      const now = performance.now() + performance.timeOrigin;
      if (count === 1) first = now;
      last = now;
      callback();
      if (count === target) process.send({ done: true, count, first, last });
    });
  },
});
server.on('error', () => undefined);
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('message', (m) => {
  if (m === 'reset') {
    count = 0;
    process.send({ reset: true });
  }
});
