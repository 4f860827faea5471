// The baseline: nodemailer alone (pooled as Rapport's transport is) sending pre-rendered survey emails.
const nodemailer = require('nodemailer');
const { renderSurveyEmail } = require('../../dist/src/surveys/render-survey-email');
const { defaultBranding } = require('../../dist/src/surveys/survey-settings');

const total = Number(process.env.COUNT);
const transporter = nodemailer.createTransport({ url: process.env.SMTP_URL, pool: true, maxConnections: 5, maxMessages: Infinity });
const messages = Array.from({ length: total }, (_, i) =>
  renderSurveyEmail({
    to: `customer-${i}@example.org`,
    customerName: 'Carla',
    locale: 'es',
    branding: defaultBranding({ mailFrom: 'Acme <csat@acme.test>' }),
    firstQuestion: 'csat',
    token: String(i).padStart(43, 'x'),
    baseUrl: 'http://localhost:3000',
    fromAddress: 'csat@acme.test',
    messageId: `<survey-${i}@localhost>`,
  }),
);
Promise.all(messages.map((m) => transporter.sendMail({ ...m, headers: { ...m.headers } }))).then(
  () => {
    transporter.close();
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
