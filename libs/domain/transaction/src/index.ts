export { isLuhnValid, PAN_MAX_DIGITS, PAN_MIN_DIGITS } from './card-number.rules';
export { decimalToMinorUnits, type DecimalAmountResult, type DecimalAmountProblem } from './decimal-amount.converter';
export { parseIsoInstant, type IsoInstantResult } from './iso-instant.parser';
export { maskPans, maskPansInText } from './pan.masker';
export { PanTokeniser, type CardTokeniser, type PanTokeniserOptions } from './pan.tokeniser';
export { PanTokeniserError, PanTokeniserErrorCode } from './pan-tokeniser.errors';
export { isKnownCountry } from './reference/country.registry';
export { currencyExponent, findCurrency, knownCurrencies, type Currency } from './reference/currency.registry';
export {
  FieldErrorCode,
  TransactionErrorCode,
  TransactionValidationError,
  type TransactionFieldError,
} from './transaction.errors';
export { normaliseTransaction, type NormaliseContext } from './transaction.normaliser';
export { DEFAULT_VALIDATION_LIMITS, FIELD_MAX_LENGTH, type ValidationLimits } from './validation.limits';
export { parseWebhookTransaction, WEBHOOK_BODY_FIELDS } from './webhook-transaction.parser';
