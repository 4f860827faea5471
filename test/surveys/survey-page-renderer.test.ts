import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LOCALES } from '../../src/i18n/locale';
import { QUESTION_IDS, type QuestionId } from '../../src/surveys/questions';
import { SurveyPageRenderer, type PageInput } from '../../src/surveys/survey-page-renderer';
import { defaultBranding } from '../../src/surveys/survey-settings';

const branding = defaultBranding({ mailFrom: 'Acme & Co <csat@acme.test>' });
const rating = (min: number, max: number) => fc.option(fc.integer({ min, max }), { nil: null });

const pageInput = fc.record({
  locale: fc.constantFrom(...LOCALES),
  questions: fc.shuffledSubarray([...QUESTION_IDS] as QuestionId[], { minLength: 1 }),
  saved: fc.option(fc.record({ csat: rating(1, 5), ces: rating(1, 7), nps: rating(0, 10), comment: fc.option(fc.string({ maxLength: 40 }), { nil: null }) }), { nil: null }),
  preselected: fc.record({ csat: fc.integer({ min: 1, max: 5 }), nps: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: [] }),
  action: fc.constant('/s/AbC_-123'),
});

describe('survey page renderer', () => {
  it('renders from its cached skeleton exactly what EJS renders in full, whatever the state', () => {
    const renderer = new SurveyPageRenderer();
    fc.assert(
      fc.property(pageInput, (p) => {
        const input: PageInput = { ...p, branding, company: branding.companyName };
        assert.equal(renderer.render(input), renderer.renderFull(input));
      }),
      { numRuns: 300 },
    );
  });

  it('escapes a saved comment in the skeleton path too', () => {
    const renderer = new SurveyPageRenderer();
    const input: PageInput = {
      locale: 'en',
      branding,
      company: branding.companyName,
      questions: ['comment'],
      saved: { csat: null, ces: null, nps: null, comment: '</textarea><script>alert(1)</script>' },
      action: '/s/x',
    };
    const html = renderer.render(input);
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.match(html, /&lt;\/textarea&gt;&lt;script&gt;/);
  });
});
