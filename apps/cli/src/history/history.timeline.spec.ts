import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvFile, historyTimeline, namespaceTransaction } from './history.timeline';

const dir = mkdtempSync(join(tmpdir(), 'argus-timeline-'));
const tokenise = (pan: string) => `tok_${pan.slice(-4)}`;

async function drain(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('historyTimeline', () => {
  it('fails with the read error for a file that is not there, instead of waiting forever', async () => {
    await expect(drain(historyTimeline({ file: join(dir, 'missing.csv'), format: 'argus', tokenise }))).rejects.toThrow(
      /ENOENT/,
    );
    await expect(drain(csvFile(dir, { columns: true }))).rejects.toThrow(/EISDIR/);
    await expect(
      drain(
        historyTimeline({ file: join(dir, 'x.csv'), format: 'argus', labelsFile: join(dir, 'nope.csv'), tokenise }),
      ),
    ).rejects.toThrow(/ENOENT/);
  });

  it('namespaces every id of a row and of its label, so a second replay is a population of its own', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(
      file,
      'transaction_id,event_time,card_id,customer_id,account_id,amount_minor,currency,merchant_id,terminal_id,channel,payment_method,device_fingerprint,is_fraud,label_reported_at\n' +
        't1,2026-12-01T10:00:00Z,card_1,cus_1,acc_1,1250,EUR,mer_1,trm_1,CARD_PRESENT,CARD,dev_1,1,2026-12-02T10:00:00Z\n',
    );
    const items = await drain(historyTimeline({ file, format: 'argus', tokenise, namespace: 'run2-' }));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      kind: 'transaction',
      transaction: {
        transaction_id: 'run2-t1',
        card_id: 'run2-card_1',
        customer_id: 'run2-cus_1',
        account_id: 'run2-acc_1',
        merchant_id: 'run2-mer_1',
        terminal_id: 'run2-trm_1',
        device_fingerprint: 'run2-dev_1',
      },
      label: { transactionId: 'run2-t1', cardId: 'run2-card_1', fraud: true },
    });
    expect(items[1]).toMatchObject({ kind: 'label', label: { transactionId: 'run2-t1' } });
  });

  it('namespaces the receiving account of a transfer and leaves empty ids empty', () => {
    const transaction = {
      transaction_id: 't',
      card_id: 'c',
      customer_id: 'u',
      account_id: null,
      merchant_id: 'm',
      terminal_id: null,
      device_fingerprint: '',
      attributes: { payee_account: 'acc_9', other: 'x' },
    } as never;
    expect(namespaceTransaction(transaction, 'n-')).toMatchObject({
      transaction_id: 'n-t',
      account_id: null,
      terminal_id: null,
      device_fingerprint: '',
      attributes: { payee_account: 'n-acc_9', other: 'x' },
    });
    expect(namespaceTransaction(transaction, '')).toBe(transaction);
  });
});
