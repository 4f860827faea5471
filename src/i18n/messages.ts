/**
 * Every customer-facing string (survey emails, survey pages, unsubscribe pages) in English, Spanish and
 * Indonesian. The Messages type makes a missing translation a compile error. `{name}` placeholders are
 * filled by `format`; values are escaped by the templates, never here.
 */
import type { Locale } from './locale';

export interface Messages {
  readonly emailSubject: string;
  readonly emailSubjectNamed: string;
  readonly emailPreheader: string;
  readonly greeting: string;
  readonly greetingNamed: string;
  readonly emailIntro: string;
  readonly emailOneClick: string;
  readonly emailOpenSurvey: string;
  readonly emailFooter: string;
  readonly unsubscribeLink: string;
  readonly csatQuestion: string;
  readonly csatLabels: readonly [string, string, string, string, string];
  readonly cesQuestion: string;
  readonly cesLow: string;
  readonly cesHigh: string;
  readonly npsQuestion: string;
  readonly npsLow: string;
  readonly npsHigh: string;
  readonly commentQuestion: string;
  readonly commentHint: string;
  readonly optional: string;
  readonly surveyTitle: string;
  readonly surveyIntro: string;
  readonly submit: string;
  readonly formHasErrors: string;
  readonly errorOutOfRange: string;
  readonly errorRepeated: string;
  readonly errorCommentTooLong: string;
  readonly thanksTitle: string;
  readonly thanksBody: string;
  readonly thanksChange: string;
  readonly thanksChangeLink: string;
  readonly notFoundTitle: string;
  readonly notFoundBody: string;
  readonly expiredTitle: string;
  readonly expiredBody: string;
  readonly tooManyTitle: string;
  readonly tooManyBody: string;
  readonly unreadableTitle: string;
  readonly unreadableBody: string;
  readonly foreignTitle: string;
  readonly foreignBody: string;
  readonly unsubscribeTitle: string;
  readonly unsubscribeBody: string;
  readonly unsubscribeButton: string;
  readonly unsubscribedTitle: string;
  readonly unsubscribedBody: string;
  readonly poweredBy: string;
}

const en: Messages = {
  emailSubject: 'How did we do?',
  emailSubjectNamed: 'How did we do, {name}?',
  emailPreheader: 'One click tells {company} how it went.',
  greeting: 'Hello,',
  greetingNamed: 'Hi {name},',
  emailIntro: 'You were recently in touch with {company}. We would love to know how it went.',
  emailOneClick: 'Choose an answer: one click is enough.',
  emailOpenSurvey: 'Open the survey',
  emailFooter: 'You received this email because you contacted {company}.',
  unsubscribeLink: 'Unsubscribe from these surveys',
  csatQuestion: 'How satisfied are you with the support you received?',
  csatLabels: ['Very dissatisfied', 'Dissatisfied', 'Neither satisfied nor dissatisfied', 'Satisfied', 'Very satisfied'],
  cesQuestion: '{company} made it easy for me to handle my issue.',
  cesLow: 'Strongly disagree',
  cesHigh: 'Strongly agree',
  npsQuestion: 'How likely are you to recommend {company} to a friend or colleague?',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  commentQuestion: 'Anything else you would like to tell us?',
  commentHint: 'Up to {max} characters.',
  optional: 'optional',
  surveyTitle: 'Your feedback for {company}',
  surveyIntro: 'Every question is optional. Your answers go to the team that helped you.',
  submit: 'Send my answers',
  formHasErrors: 'Please check the highlighted answers.',
  errorOutOfRange: 'Choose one of the options shown.',
  errorRepeated: 'Give one answer to this question.',
  errorCommentTooLong: 'Shorten your comment to {max} characters or fewer.',
  thanksTitle: 'Thank you!',
  thanksBody: 'Your answers have been recorded. They help {company} get better.',
  thanksChange: 'Changed your mind? You can update your answers until {date}.',
  thanksChangeLink: 'Change my answers',
  notFoundTitle: 'We could not find this survey',
  notFoundBody: 'The link may be incomplete. Please open it again from the email you received.',
  expiredTitle: 'This survey has closed',
  expiredBody: 'Thank you for your interest. Answers to this survey are no longer collected.',
  tooManyTitle: 'Please wait a moment',
  tooManyBody: 'We received many requests from your connection. Try again in a minute.',
  unreadableTitle: 'We could not read your answers',
  unreadableBody: 'Nothing was saved. Please open the survey again from the email you received and send it once more.',
  foreignTitle: 'This form was sent from another site',
  foreignBody: 'Nothing was saved. Please answer on the survey page itself, opened from the email you received.',
  unsubscribeTitle: 'Stop receiving surveys?',
  unsubscribeBody: '{email} will no longer receive satisfaction surveys from {company}.',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedBody: 'We will not send satisfaction surveys to {email} any more.',
  poweredBy: 'Surveys by Rapport',
};

const es: Messages = {
  emailSubject: '¿Qué tal lo hicimos?',
  emailSubjectNamed: '¿Qué tal lo hicimos, {name}?',
  emailPreheader: 'Con un clic le dices a {company} cómo te fue.',
  greeting: 'Hola:',
  greetingNamed: 'Hola, {name}:',
  emailIntro: 'Hace poco te pusiste en contacto con {company}. Nos encantaría saber cómo te fue.',
  emailOneClick: 'Elige una respuesta: basta con un clic.',
  emailOpenSurvey: 'Abrir la encuesta',
  emailFooter: 'Recibes este correo porque te pusiste en contacto con {company}.',
  unsubscribeLink: 'Darme de baja de estas encuestas',
  csatQuestion: '¿Qué tan satisfecho estás con la atención que recibiste?',
  csatLabels: ['Muy insatisfecho', 'Insatisfecho', 'Ni satisfecho ni insatisfecho', 'Satisfecho', 'Muy satisfecho'],
  cesQuestion: '{company} me facilitó resolver mi problema.',
  cesLow: 'Totalmente en desacuerdo',
  cesHigh: 'Totalmente de acuerdo',
  npsQuestion: '¿Qué probabilidad hay de que recomiendes {company} a un amigo o colega?',
  npsLow: 'Nada probable',
  npsHigh: 'Muy probable',
  commentQuestion: '¿Algo más que quieras contarnos?',
  commentHint: 'Hasta {max} caracteres.',
  optional: 'opcional',
  surveyTitle: 'Tu opinión para {company}',
  surveyIntro: 'Todas las preguntas son opcionales. Tus respuestas llegan al equipo que te atendió.',
  submit: 'Enviar mis respuestas',
  formHasErrors: 'Revisa las respuestas señaladas.',
  errorOutOfRange: 'Elige una de las opciones mostradas.',
  errorRepeated: 'Da una sola respuesta a esta pregunta.',
  errorCommentTooLong: 'Acorta tu comentario a {max} caracteres o menos.',
  thanksTitle: '¡Gracias!',
  thanksBody: 'Hemos guardado tus respuestas. Ayudan a {company} a mejorar.',
  thanksChange: '¿Cambiaste de opinión? Puedes modificar tus respuestas hasta el {date}.',
  thanksChangeLink: 'Cambiar mis respuestas',
  notFoundTitle: 'No encontramos esta encuesta',
  notFoundBody: 'Puede que el enlace esté incompleto. Ábrelo de nuevo desde el correo que recibiste.',
  expiredTitle: 'Esta encuesta está cerrada',
  expiredBody: 'Gracias por tu interés. Ya no se recogen respuestas para esta encuesta.',
  tooManyTitle: 'Espera un momento',
  tooManyBody: 'Hemos recibido muchas solicitudes desde tu conexión. Vuelve a intentarlo en un minuto.',
  unreadableTitle: 'No pudimos leer tus respuestas',
  unreadableBody: 'No se guardó nada. Abre de nuevo la encuesta desde el correo que recibiste y envíala otra vez.',
  foreignTitle: 'Este formulario se envió desde otro sitio',
  foreignBody: 'No se guardó nada. Responde en la propia página de la encuesta, abierta desde el correo que recibiste.',
  unsubscribeTitle: '¿Dejar de recibir encuestas?',
  unsubscribeBody: '{email} dejará de recibir encuestas de satisfacción de {company}.',
  unsubscribeButton: 'Darme de baja',
  unsubscribedTitle: 'Te has dado de baja',
  unsubscribedBody: 'No enviaremos más encuestas de satisfacción a {email}.',
  poweredBy: 'Encuestas de Rapport',
};

const id: Messages = {
  emailSubject: 'Bagaimana layanan kami?',
  emailSubjectNamed: 'Bagaimana layanan kami, {name}?',
  emailPreheader: 'Satu klik memberi tahu {company} pengalaman Anda.',
  greeting: 'Halo,',
  greetingNamed: 'Halo {name},',
  emailIntro: 'Anda baru saja menghubungi {company}. Kami ingin tahu bagaimana pengalaman Anda.',
  emailOneClick: 'Pilih jawaban: cukup satu klik.',
  emailOpenSurvey: 'Buka survei',
  emailFooter: 'Anda menerima email ini karena Anda menghubungi {company}.',
  unsubscribeLink: 'Berhenti berlangganan survei ini',
  csatQuestion: 'Seberapa puas Anda dengan bantuan yang Anda terima?',
  csatLabels: ['Sangat tidak puas', 'Tidak puas', 'Biasa saja', 'Puas', 'Sangat puas'],
  cesQuestion: '{company} memudahkan saya menyelesaikan masalah saya.',
  cesLow: 'Sangat tidak setuju',
  cesHigh: 'Sangat setuju',
  npsQuestion: 'Seberapa besar kemungkinan Anda merekomendasikan {company} kepada teman atau kolega?',
  npsLow: 'Sangat tidak mungkin',
  npsHigh: 'Sangat mungkin',
  commentQuestion: 'Ada hal lain yang ingin Anda sampaikan?',
  commentHint: 'Maksimal {max} karakter.',
  optional: 'opsional',
  surveyTitle: 'Masukan Anda untuk {company}',
  surveyIntro: 'Semua pertanyaan bersifat opsional. Jawaban Anda diteruskan ke tim yang membantu Anda.',
  submit: 'Kirim jawaban saya',
  formHasErrors: 'Periksa kembali jawaban yang ditandai.',
  errorOutOfRange: 'Pilih salah satu opsi yang tersedia.',
  errorRepeated: 'Berikan satu jawaban untuk pertanyaan ini.',
  errorCommentTooLong: 'Persingkat komentar Anda menjadi paling banyak {max} karakter.',
  thanksTitle: 'Terima kasih!',
  thanksBody: 'Jawaban Anda telah kami simpan. Jawaban ini membantu {company} menjadi lebih baik.',
  thanksChange: 'Berubah pikiran? Anda dapat memperbarui jawaban hingga {date}.',
  thanksChangeLink: 'Ubah jawaban saya',
  notFoundTitle: 'Survei ini tidak ditemukan',
  notFoundBody: 'Tautannya mungkin tidak lengkap. Buka kembali dari email yang Anda terima.',
  expiredTitle: 'Survei ini sudah ditutup',
  expiredBody: 'Terima kasih atas minat Anda. Jawaban untuk survei ini tidak lagi dikumpulkan.',
  tooManyTitle: 'Mohon tunggu sebentar',
  tooManyBody: 'Kami menerima terlalu banyak permintaan dari koneksi Anda. Coba lagi dalam satu menit.',
  unreadableTitle: 'Kami tidak dapat membaca jawaban Anda',
  unreadableBody: 'Tidak ada yang disimpan. Buka kembali survei dari email yang Anda terima dan kirim sekali lagi.',
  foreignTitle: 'Formulir ini dikirim dari situs lain',
  foreignBody: 'Tidak ada yang disimpan. Jawablah di halaman survei itu sendiri, yang dibuka dari email yang Anda terima.',
  unsubscribeTitle: 'Berhenti menerima survei?',
  unsubscribeBody: '{email} tidak akan lagi menerima survei kepuasan dari {company}.',
  unsubscribeButton: 'Berhenti berlangganan',
  unsubscribedTitle: 'Anda telah berhenti berlangganan',
  unsubscribedBody: 'Kami tidak akan mengirim survei kepuasan ke {email} lagi.',
  poweredBy: 'Survei oleh Rapport',
};

const CATALOG: Readonly<Record<Locale, Messages>> = { en, es, id };

export function messagesFor(locale: Locale): Messages {
  return CATALOG[locale];
}

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
