/** Fraud scenarios: each injects labelled FRAUD transactions. */
export const FRAUD_SCENARIOS = [
  'compromised_terminal',
  'stolen_card',
  'account_takeover',
  'card_testing',
  'synthetic_identity',
  'customer_anomaly',
  'mule_fan_in',
] as const;

/** Legitimate surprises: unusual but genuine behaviour, labelled LEGITIMATE, that naive rules mistake for fraud. */
export const SURPRISE_SCENARIOS = ['travel', 'new_category', 'large_purchase'] as const;

export const SCENARIOS = [...FRAUD_SCENARIOS, ...SURPRISE_SCENARIOS] as const;

export type FraudScenarioName = (typeof FRAUD_SCENARIOS)[number];
export type SurpriseScenarioName = (typeof SURPRISE_SCENARIOS)[number];
export type SelectableScenarioName = FraudScenarioName | SurpriseScenarioName;
/** `baseline`: a customer's ordinary transactions (also a fraud victim's own, untouched ones). */
export type ScenarioName = 'baseline' | SelectableScenarioName;
