// The baseline: bare Express answering with a precomputed page of the same size as Rapport's survey page.
const fs = require('node:fs');
const express = require('express');

const page = fs.readFileSync(process.env.PAGE_FILE, 'utf8');
const app = express();
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.get('/s/:token', (_req, res) => res.type('html').send(page));
app.listen(Number(process.env.PORT), '127.0.0.1');
