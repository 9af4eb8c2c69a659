import { transaction } from './__fixtures__/transaction.fixture';
import {
  compileReasonTemplate,
  MISSING_VALUE,
  renderReason,
  type ReasonTemplate,
  type TemplateFault,
} from './reason.template';
import { buildRuleContext, type RuleContextExtras } from './rule-context.builder';

function compiled(source: string): ReasonTemplate {
  const template = compileReasonTemplate(source);
  if (Array.isArray(template)) throw new Error(`did not compile: ${JSON.stringify(template)}`);
  return template;
}

function faults(source: string): TemplateFault[] {
  const result = compileReasonTemplate(source);
  if (!Array.isArray(result)) throw new Error('expected faults');
  return result;
}

function render(
  source: string,
  overrides: Parameters<typeof transaction>[0] = {},
  extras: RuleContextExtras = {},
): string {
  return renderReason(compiled(source), buildRuleContext(transaction(overrides), extras));
}

describe('reason templates', () => {
  it('leaves text without placeholders as it is', () =>
    expect(render('Plain text, {single} braces')).toBe('Plain text, {single} braces'));

  it('fills bare and txn. transaction fields', () => {
    expect(render('{{merchant_id}} / {{txn.channel}} / {{ currency }}')).toBe('merch_grocer_01 / CARD_PRESENT / EUR');
  });

  it('renders amount_major with the currency decimals', () => {
    expect(render('{{amount_major}} {{currency}}', { amount_minor: 1_500_000 })).toBe('15000.00 EUR');
    expect(render('{{amount_major}} {{currency}}', { amount_minor: 1_500, currency: 'JPY' })).toBe('1500 JPY');
    expect(render('{{amount_major}} {{currency}}', { amount_minor: 1_234_567, currency: 'KWD' })).toBe('1234.567 KWD');
  });

  it('fills geo and attributes', () => {
    expect(
      render('{{geo.country}}/{{geo.city}}/{{attributes.channel_detail}}', {
        attributes: { channel_detail: 'wallet' },
      }),
    ).toBe('DE/Berlin/wallet');
  });

  it('fills features and score, with at most four decimals', () => {
    expect(
      render(
        '{{features.ratio}} {{features.count}} {{score}}',
        {},
        { features: { ratio: 2 / 3, count: 4 }, score: 87.5 },
      ),
    ).toBe('0.6667 4 87.5');
  });

  it(`shows ${MISSING_VALUE} for what is absent`, () => {
    expect(
      render('{{geo.country}} {{features.none}} {{score}} {{merchant_country}} {{attributes.none}}', {
        geo: null,
        merchant_country: null,
      }),
    ).toBe('n/a n/a n/a n/a n/a');
  });

  it.each([
    ['an unknown field', 'Amount {{amount}}', 7, 'unknown placeholder "{{amount}}"'],
    ['an unknown geo field', '{{geo.street}}', 0, 'unknown placeholder'],
    ['a nested path into a scalar', '{{currency.code}}', 0, 'unknown placeholder'],
    ['features without a name', '{{features}}', 0, 'unknown placeholder'],
    ['an unclosed placeholder', 'Amount {{amount_major', 7, 'unbalanced "{{"'],
    ['a stray closing', 'Amount amount_major}}', 19, 'unbalanced "}}"'],
  ])('refuses %s', (_name, source, index, message) => {
    expect(faults(source)[0]).toMatchObject({ index, message: expect.stringContaining(message) });
  });

  it('reports every bad placeholder', () =>
    expect(faults('{{a}} and {{b}}').map((fault) => fault.index)).toEqual([0, 10]));
});
