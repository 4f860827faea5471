// The baseline: bare Express 5 with express.json(), answering a POST like the trigger endpoint would.
const express = require('express');
const app = express();
app.use(express.json({ limit: '64kb' }));
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.post('/api/v1/interactions', (req, res) => {
  res.status(201).json({ id: '8aa70fa9-09b5-412a-b27a-ba0b3cf0485f', source: 'api', external_id: req.body.external_id, duplicate: false, survey: { id: 'e7331c7b-37cf-4c5b-9ac8-935d8e5b9b14', status: 'scheduled', send_at: new Date().toISOString() } });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
