/**
 * A merchant category (ISO 18245 MCC) as the simulation uses it. `factor` scales a customer's typical
 * amount (groceries ≈ 1.6×, a coffee 0.4×, a hotel night 8×); `everyday` weighs how often customers keep it
 * among their habits, `travel` how much travellers spend there; `online` categories sell by e-commerce.
 */
export interface MerchantCategory {
  readonly mcc: string;
  readonly label: string;
  readonly factor: number;
  readonly everyday: number;
  readonly travel: number;
  readonly online: boolean;
}

const category = (
  mcc: string,
  label: string,
  factor: number,
  everyday: number,
  travel: number,
  online = false,
): MerchantCategory => ({ mcc, label, factor, everyday, travel, online });

/** Shops with a terminal (card present). */
export const STORE_CATEGORIES: readonly MerchantCategory[] = [
  category('5411', 'grocery', 1.6, 10, 2),
  category('5499', 'convenience', 0.4, 5, 2),
  category('5812', 'restaurant', 1.4, 6, 6),
  category('5814', 'fast food', 0.5, 6, 3),
  category('5813', 'bar', 1.2, 3, 3),
  category('5541', 'fuel', 1.8, 4, 0.5),
  category('5912', 'pharmacy', 0.9, 3, 0.5),
  category('5311', 'department store', 2.5, 2, 1),
  category('5651', 'clothing', 2.5, 3, 1.5),
  category('5732', 'electronics', 6, 1, 0.3),
  category('4121', 'taxi', 1, 2, 3),
  category('4111', 'transit', 0.3, 3, 2),
  category('5200', 'home improvement', 3, 1.5, 0),
  category('5942', 'books', 1, 1, 0.5),
  category('7832', 'cinema', 0.8, 1, 0.3),
  category('7011', 'hotel', 8, 0, 5),
  category('5944', 'jewellery', 10, 0.1, 0.3),
  category('5941', 'sporting goods', 3, 0.3, 0.2),
  category('5712', 'furniture', 12, 0.2, 0),
  category('5945', 'hobby and toys', 1.5, 0.4, 0.2),
  category('5992', 'florist', 1.2, 0.3, 0),
  category('5995', 'pet shop', 1.5, 0.4, 0),
  category('7997', 'sports club', 2.5, 0.2, 0),
];

/** Sellers without a terminal (e-commerce and in-app). */
export const ONLINE_CATEGORIES: readonly MerchantCategory[] = [
  category('5399', 'marketplace', 1.8, 6, 0, true),
  category('5815', 'digital media', 0.4, 3, 0, true),
  category('5816', 'games', 0.6, 1.5, 0, true),
  category('5817', 'apps', 0.3, 2, 0, true),
  category('5818', 'digital goods', 0.5, 1, 0, true),
  category('4899', 'streaming', 0.7, 2, 0, true),
  category('5968', 'subscriptions', 0.6, 1, 0, true),
  category('5964', 'catalogue retail', 1.5, 1, 0, true),
  category('5999', 'gift cards and misc', 1.5, 1, 0, true),
  category('5732', 'electronics online', 6, 1, 0, true),
  category('5814', 'food delivery', 1.2, 2, 0, true),
  category('4121', 'ride hailing', 1, 1.5, 0, true),
  category('8398', 'charity', 1, 0.3, 0, true),
  category('4511', 'airline', 15, 0.2, 0, true),
  category('4722', 'travel agency', 12, 0.2, 0, true),
  category('6540', 'wallet top-up', 2, 0.2, 0, true),
];

export const ATM_MCC = '6011';

/** Categories that customers take up as a legitimate surprise (a new hobby, a new flat). */
export const NEW_HABIT_MCCS: readonly string[] = ['5941', '5712', '5945', '5992', '5995', '7997'];
/** Big-ticket categories: large legitimate purchases and bust-outs. */
export const BIG_TICKET_MCCS: readonly string[] = ['5732', '5712', '5944'];
/** Categories card testers probe with tiny amounts. */
export const PROBE_MCCS: readonly string[] = ['5815', '5816', '5817', '5818', '8398', '5968'];
/** Online categories fraudsters cash out at. */
export const CASH_OUT_ONLINE_MCCS: readonly string[] = ['5732', '5999', '5399'];
/** In-app categories paid from a phone (channel MOBILE). */
export const MOBILE_MCCS: readonly string[] = ['5814', '4121', '5817', '6540'];
/** Online categories used to book a trip. */
export const TRAVEL_BOOKING_MCCS: readonly string[] = ['4511', '4722'];

const byMcc = new Map([...STORE_CATEGORIES, ...ONLINE_CATEGORIES].map((c) => [c.mcc, c]));

/** Amount factor of a category (1 when unknown). */
export function amountFactor(mcc: string): number {
  return byMcc.get(mcc)?.factor ?? 1;
}
