/**
 * The fixed ingredients of the demo: channels with their typical volumes, speeds and moods, teams,
 * names, topics and browsers. Numbers are plausible for a mid-sized support desk, not measured.
 */

/** How a channel behaves. Times are medians in seconds; `mood` shifts every answer's latent satisfaction. */
export interface ChannelProfile {
  readonly slug: string;
  /** Share of all interactions. */
  readonly share: number;
  readonly firstResponseMedian: number;
  /** Work after the first response until close (resolution = first response + work). */
  readonly workMedian: number;
  /** Log-scale spread of both times. */
  readonly sigma: number;
  readonly mood: number;
  /** How much harder than average the customer found it (lowers CES). */
  readonly effort: number;
  /** Chance the issue is solved on the first contact. */
  readonly firstContactRate: number;
  /** Relative chance that a surveyed customer answers. */
  readonly responsiveness: number;
}

export const CHANNELS: readonly ChannelProfile[] = [
  { slug: 'chat', share: 0.3, firstResponseMedian: 50, workMedian: 14 * 60, sigma: 0.8, mood: 0.25, effort: -0.15, firstContactRate: 0.8, responsiveness: 1.1 },
  { slug: 'email', share: 0.24, firstResponseMedian: 3.5 * 3600, workMedian: 16 * 3600, sigma: 1.0, mood: -0.05, effort: 0.25, firstContactRate: 0.64, responsiveness: 0.85 },
  { slug: 'phone', share: 0.18, firstResponseMedian: 70, workMedian: 8 * 60, sigma: 0.7, mood: 0.2, effort: -0.1, firstContactRate: 0.85, responsiveness: 0.9 },
  { slug: 'whatsapp', share: 0.13, firstResponseMedian: 4 * 60, workMedian: 45 * 60, sigma: 0.9, mood: 0.15, effort: -0.2, firstContactRate: 0.76, responsiveness: 1.25 },
  { slug: 'web_form', share: 0.08, firstResponseMedian: 6 * 3600, workMedian: 26 * 3600, sigma: 1.0, mood: -0.1, effort: 0.35, firstContactRate: 0.6, responsiveness: 0.85 },
  { slug: 'social', share: 0.07, firstResponseMedian: 40 * 60, workMedian: 3 * 3600, sigma: 1.0, mood: -0.25, effort: 0.2, firstContactRate: 0.55, responsiveness: 0.8 },
];

/** A team: its share of agents and how its work differs (Tier 2 gets the hard cases). */
export interface TeamProfile {
  readonly name: string;
  readonly agentShare: number;
  readonly mood: number;
  /** Multiplies handling times. */
  readonly pace: number;
  /** Added to the channel's first-contact rate. */
  readonly firstContactShift: number;
}

export const TEAMS: readonly TeamProfile[] = [
  { name: 'Tier 1', agentShare: 0.45, mood: 0.05, pace: 1, firstContactShift: 0.02 },
  { name: 'Tier 2', agentShare: 0.22, mood: -0.1, pace: 1.8, firstContactShift: -0.12 },
  { name: 'Billing', agentShare: 0.18, mood: -0.25, pace: 1.2, firstContactShift: -0.03 },
  { name: 'Onboarding', agentShare: 0.15, mood: 0.3, pace: 0.9, firstContactShift: 0.05 },
];

export const LOCALE_SHARES: readonly { readonly locale: 'en' | 'es' | 'id'; readonly share: number }[] = [
  { locale: 'en', share: 0.5 },
  { locale: 'es', share: 0.28 },
  { locale: 'id', share: 0.22 },
];

export const AGENT_FIRST_NAMES: readonly string[] = [
  'Ana', 'Ben', 'Carlos', 'Dewi', 'Elena', 'Farid', 'Grace', 'Hugo', 'Intan', 'Javier', 'Kate', 'Luis',
  'Maya', 'Nadia', 'Omar', 'Paula', 'Rizky', 'Sara', 'Tomás', 'Umar', 'Valeria', 'Wulan', 'Yusuf', 'Zoe',
  'Adi', 'Bianca', 'Chloe', 'Daniel', 'Eka', 'Fernanda', 'Gilang', 'Hannah', 'Isabel', 'Joko', 'Lucía', 'Marco',
];

export const AGENT_LAST_NAMES: readonly string[] = [
  'Ruiz', 'Santoso', 'Miller', 'García', 'Wijaya', 'Chen', 'López', 'Hidayat', 'Brown', 'Martín', 'Kusuma', 'Taylor',
  'Pérez', 'Saputra', 'Wilson', 'Romero', 'Nugroho', 'Clark', 'Torres', 'Pratama', 'Evans', 'Morales', 'Setiawan', 'Walker',
  'Castro', 'Lestari', 'Hughes', 'Navarro', 'Halim', 'Reyes',
];

export const CUSTOMER_FIRST_NAMES: Readonly<Record<'en' | 'es' | 'id', readonly string[]>> = {
  en: ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'James', 'Mia', 'Lucas', 'Amelia', 'Jack', 'Harper', 'Henry', 'Ella', 'Leo'],
  es: ['Carla', 'Javier', 'Lucía', 'Mateo', 'Sofía', 'Diego', 'Martina', 'Pablo', 'Valentina', 'Alejandro', 'Camila', 'Sergio', 'Elena', 'Andrés'],
  id: ['Putri', 'Budi', 'Siti', 'Agus', 'Ayu', 'Dimas', 'Rina', 'Fajar', 'Sri', 'Bayu', 'Indah', 'Hendra', 'Nur', 'Rudi'],
};

export const TOPICS: readonly string[] = ['billing', 'login', 'shipping', 'refund', 'account', 'bug', 'how_to', 'cancellation', 'integration'];

export const PRIORITIES: readonly { readonly value: string; readonly share: number }[] = [
  { value: 'low', share: 0.3 },
  { value: 'normal', share: 0.55 },
  { value: 'high', share: 0.12 },
  { value: 'urgent', share: 0.03 },
];

export const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
];
