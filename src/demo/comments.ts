/**
 * Short comments as customers write them, per language and mood. `{agent}` stands for the agent's first
 * name: people often thank or blame someone by name, and the verbatims page should show that.
 */
import { pick, type Random } from './random';

/** The feeling an answer expresses, which picks the comment. */
export type Mood = 'happy' | 'neutral' | 'unhappy';
/** The languages Rapport speaks, which demo customers use. */
export type DemoLocale = 'en' | 'es' | 'id';

/** The templates by language and mood (exported for tests that check a comment fits its answers). */
export const COMMENTS: Readonly<Record<DemoLocale, Readonly<Record<Mood, readonly string[]>>>> = {
  en: {
    happy: [
      'Super quick and friendly, thanks!',
      '{agent} sorted it out in minutes. Great service.',
      'Very helpful, problem solved on the first try.',
      'Clear explanation and no waiting. Thank you {agent}!',
      'Easy, fast, polite. Exactly what I needed.',
      'Thanks for following up so quickly.',
      'Really appreciated the patience, {agent} was great.',
      'Best support experience I have had in a while.',
    ],
    neutral: [
      'It got fixed, but it took a while.',
      'OK in the end, I had to explain the issue twice.',
      'Fine, though the first answer did not really help.',
      'Resolved, but I would like updates without having to ask.',
      'Decent. The wait time could be shorter.',
      'Solved, but the instructions were a bit confusing.',
    ],
    unhappy: [
      'Waited far too long for a reply.',
      'Still not fixed. I had to contact you three times.',
      'Nobody read my first message properly.',
      'I was passed between teams and had to repeat everything.',
      'The answer was copy-pasted and did not match my problem.',
      'Closed my ticket without solving anything.',
      'Very slow. I am thinking about cancelling.',
    ],
  },
  es: {
    happy: [
      '¡Muy rápido y amable, gracias!',
      '{agent} lo resolvió en pocos minutos. Excelente atención.',
      'Me ayudaron a la primera, muy contento.',
      'Explicación clara y sin esperas. ¡Gracias {agent}!',
      'Fácil y rápido, justo lo que necesitaba.',
      'Gracias por responder tan pronto.',
      'Muy buena atención, {agent} tuvo mucha paciencia.',
    ],
    neutral: [
      'Se solucionó, pero tardaron bastante.',
      'Bien al final, aunque tuve que explicar el problema dos veces.',
      'Correcto, pero la primera respuesta no me sirvió.',
      'Resuelto, aunque me gustaría recibir avisos sin tener que preguntar.',
      'Aceptable. La espera podría ser menor.',
    ],
    unhappy: [
      'Esperé demasiado para recibir una respuesta.',
      'Sigue sin funcionar. Tuve que escribir tres veces.',
      'Nadie leyó bien mi primer mensaje.',
      'Me pasaron de un equipo a otro y tuve que repetirlo todo.',
      'Cerraron el caso sin resolver nada.',
      'Muy lento, estoy pensando en darme de baja.',
    ],
  },
  id: {
    happy: [
      'Cepat dan ramah, terima kasih!',
      '{agent} menyelesaikannya dalam beberapa menit. Pelayanan luar biasa.',
      'Sangat membantu, masalah langsung beres.',
      'Penjelasannya jelas dan tidak perlu menunggu. Makasih {agent}!',
      'Mudah dan cepat, sesuai yang saya butuhkan.',
      'Terima kasih atas respons yang cepat.',
      'Pelayanannya sabar dan sopan, mantap.',
    ],
    neutral: [
      'Sudah beres, tapi agak lama.',
      'Akhirnya selesai, walaupun saya harus menjelaskan dua kali.',
      'Lumayan, tapi jawaban pertama kurang membantu.',
      'Terselesaikan, tapi saya harus menanyakan kabarnya sendiri.',
      'Cukup baik. Waktu tunggunya bisa lebih singkat.',
    ],
    unhappy: [
      'Menunggu balasan terlalu lama.',
      'Masih belum beres. Saya sudah menghubungi tiga kali.',
      'Pesan pertama saya tidak dibaca dengan benar.',
      'Saya dioper ke tim lain dan harus mengulang semuanya.',
      'Tiket ditutup padahal masalahnya belum selesai.',
      'Sangat lambat, saya kecewa.',
    ],
  },
};

/** A comment in the customer's language that matches their mood, naming the agent where the text does. */
export function drawComment(rng: Random, locale: DemoLocale, mood: Mood, agentFirstName: string): string {
  return pick(rng, COMMENTS[locale][mood]).replace('{agent}', agentFirstName);
}

/** The mood a set of answers expresses: CSAT first (the question asked first), then NPS, then CES. */
export function moodOf(answers: { readonly csat: number | null; readonly nps: number | null; readonly ces: number | null }): Mood {
  if (answers.csat !== null) return answers.csat >= 4 ? 'happy' : answers.csat === 3 ? 'neutral' : 'unhappy';
  if (answers.nps !== null) return answers.nps >= 9 ? 'happy' : answers.nps >= 7 ? 'neutral' : 'unhappy';
  if (answers.ces !== null) return answers.ces >= 5 ? 'happy' : answers.ces === 4 ? 'neutral' : 'unhappy';
  return 'neutral';
}
