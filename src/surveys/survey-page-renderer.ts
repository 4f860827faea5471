/**
 * The survey page on its hot path (GET /s/<token>): the page differs between customers only in its
 * form action, which answers are checked and the comment box, so it is rendered by EJS once per
 * language, company name and question list with markers in those places, and each request fills the
 * markers in. A page with errors (a rejected post) is always rendered in full.
 */
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { messagesFor } from '../i18n/messages';
import { viewsDir } from '../paths';
import { isRatingQuestion, scaleValues } from './questions';
import { chosenValue, shownComment, surveyFormModel, type SurveyFormInput, type SurveyFormModel } from './survey-form';
import type { Branding } from './survey-settings';

/** Cannot occur in our markup: EJS escapes nothing it does not need to, and no message contains it. */
const MARK = '\u0001';
const MAX_SKELETONS = 200;

export type PageInput = SurveyFormInput & { readonly branding: Branding; readonly action: string };

type Template = (data: Record<string, unknown>) => string;

export class SurveyPageRenderer {
  private readonly skeletons = new Map<string, string[]>();
  private template: Template | null = null;

  /** The page with everything EJS would render for this input. */
  renderFull(input: PageInput): string {
    const model = surveyFormModel(input);
    return this.compiled()({ locale: input.locale, branding: input.branding, m: messagesFor(input.locale), ...model, action: input.action });
  }

  /** The same page from the cached skeleton; only for inputs without errors or re-posted values. */
  render(input: PageInput): string {
    if (input.errors || input.posted) return this.renderFull(input);
    const parts = this.skeleton(input);
    const checked = new Set(input.questions.filter(isRatingQuestion).map((q) => `c:${q}:${chosenValue(input, q)}`));
    let html = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i % 2 === 0) html += part;
      else if (part === 'action') html += ejs.escapeXML(input.action);
      else if (part === 'comment') html += ejs.escapeXML(shownComment(input));
      else if (checked.has(part)) html += ' checked';
    }
    return html;
  }

  private skeleton(input: PageInput): string[] {
    const key = JSON.stringify([input.locale, input.branding.companyName, input.questions]);
    let parts = this.skeletons.get(key);
    if (parts) return parts;
    const model = surveyFormModel({ ...input, saved: null, preselected: {}, posted: undefined, errors: undefined });
    const marked: SurveyFormModel = {
      ...model,
      questions: model.questions.map((q) =>
        q.kind === 'comment'
          ? { ...q, value: `${MARK}comment${MARK}` }
          : { ...q, options: scaleValues(q.id).map((value, i) => ({ ...(q.options[i] as (typeof q.options)[number]), checkedAttr: `${MARK}c:${q.id}:${value}${MARK}` })) },
      ),
    };
    const html = this.compiled()({ locale: input.locale, branding: input.branding, m: messagesFor(input.locale), ...marked, action: `${MARK}action${MARK}` });
    parts = html.split(MARK);
    if (this.skeletons.size >= MAX_SKELETONS) this.skeletons.clear();
    this.skeletons.set(key, parts);
    return parts;
  }

  private compiled(): Template {
    if (!this.template) {
      const file = path.join(viewsDir, 'public', 'survey.ejs');
      this.template = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file, cache: true }) as Template;
    }
    return this.template;
  }
}
