/**
 * Renders a survey email (HTML and plain text, in the customer's language) with the first question's
 * answers as one-click links, the survey link, an unsubscribe link and the RFC 8058 headers.
 * The templates carry their CSS inline, so nothing has to be inlined per message.
 */
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Locale } from '../i18n/locale';
import { format, messagesFor, type Messages } from '../i18n/messages';
import type { OutgoingEmail } from '../mail/transport';
import { viewsDir } from '../paths';
import { isRatingQuestion, scaleValues, type QuestionId, type RatingQuestion } from './questions';
import { textOnAccent, type Branding } from './survey-settings';

export interface SurveyEmailInput {
  readonly to: string;
  readonly customerName: string | null;
  readonly locale: Locale;
  readonly branding: Branding;
  /** The first question of the survey; a rating question is embedded as one-click links. */
  readonly firstQuestion: QuestionId | undefined;
  readonly token: string;
  readonly baseUrl: string;
  /** The address part of MAIL_FROM. */
  readonly fromAddress: string;
  readonly messageId: string;
}

interface EmailOption {
  readonly value: number;
  readonly label: string;
  readonly href: string;
}

type Template = (data: Record<string, unknown>) => string;
const templates = new Map<string, Template>();

function template(name: string): Template {
  let compiled = templates.get(name);
  if (!compiled) {
    const file = path.join(viewsDir, 'email', name);
    compiled = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file }) as Template;
    templates.set(name, compiled);
  }
  return compiled;
}

/** The question text and the word labels of a scale's ends, in one language. */
export function questionWording(m: Messages, question: RatingQuestion, company: string): { text: string; low: string; high: string } {
  switch (question) {
    case 'csat':
      return { text: m.csatQuestion, low: m.csatLabels[0], high: m.csatLabels[4] };
    case 'ces':
      return { text: format(m.cesQuestion, { company }), low: m.cesLow, high: m.cesHigh };
    case 'nps':
      return { text: format(m.npsQuestion, { company }), low: m.npsLow, high: m.npsHigh };
  }
}

/** The accessible name of one answer: "5 – Very satisfied", or the bare number between the ends. */
export function optionLabel(m: Messages, question: RatingQuestion, value: number, company: string): string {
  const values = scaleValues(question);
  const wording = questionWording(m, question, company);
  if (question === 'csat') return `${value} – ${m.csatLabels[value - 1]}`;
  if (value === values[0]) return `${value} – ${wording.low}`;
  if (value === values[values.length - 1]) return `${value} – ${wording.high}`;
  return String(value);
}

function quoteDisplayName(name: string): string {
  return `"${name.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`;
}

export function renderSurveyEmail(input: SurveyEmailInput): OutgoingEmail {
  const m = messagesFor(input.locale);
  const company = input.branding.companyName;
  const surveyUrl = `${input.baseUrl}/s/${input.token}`;
  const unsubscribeUrl = `${input.baseUrl}/u/${input.token}`;
  const first = input.firstQuestion && isRatingQuestion(input.firstQuestion) ? input.firstQuestion : null;
  const question = first
    ? (() => {
        const wording = questionWording(m, first, company);
        const options: EmailOption[] = scaleValues(first).map((value) => ({ value, label: optionLabel(m, first, value, company), href: `${surveyUrl}?${first}=${value}` }));
        return { text: wording.text, lowLabel: `${scaleValues(first)[0]} – ${wording.low}`, highLabel: `${scaleValues(first).at(-1)} – ${wording.high}`, options };
      })()
    : null;
  const subject = input.customerName ? format(m.emailSubjectNamed, { name: input.customerName }) : m.emailSubject;
  const data = {
    lang: input.locale,
    subject,
    preheader: format(m.emailPreheader, { company }),
    greeting: input.customerName ? format(m.greetingNamed, { name: input.customerName }) : m.greeting,
    intro: format(m.emailIntro, { company }),
    oneClick: m.emailOneClick,
    openSurvey: m.emailOpenSurvey,
    footer: format(m.emailFooter, { company }),
    unsubscribe: m.unsubscribeLink,
    company,
    accent: input.branding.accentColor,
    accentText: textOnAccent(input.branding.accentColor),
    logoUrl: input.branding.logoUrl,
    question,
    surveyUrl,
    unsubscribeUrl,
  };
  return {
    to: input.to,
    from: `${quoteDisplayName(input.branding.senderName)} <${input.fromAddress}>`,
    subject,
    html: template('survey-html.ejs')(data),
    text: template('survey-text.ejs')(data),
    messageId: input.messageId,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/** The address part of MAIL_FROM (`Acme <csat@acme.test>` → `csat@acme.test`). */
export function mailFromAddress(mailFrom: string): string {
  return /<([^>]+)>/.exec(mailFrom)?.[1]?.trim() ?? mailFrom.trim();
}
