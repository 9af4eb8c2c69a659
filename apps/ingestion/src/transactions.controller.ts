import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Post } from '@nestjs/common';
import { parseWebhookTransaction, TransactionValidationError } from '@argus/transaction';
import { IngestionService, type IntakeCounters } from './ingestion.service';

/**
 * Webhook intake: `POST /v1/transactions` with one transaction as JSON. 202 once it is on
 * `transactions.normalized`; 400 naming every invalid field; 409 for an id already received.
 */
@Controller('v1/transactions')
export class TransactionsController {
  constructor(@Inject(IngestionService) private readonly ingestion: IngestionService) {}

  /** What this instance received since it started: accepted, duplicates dropped, invalid (dead-lettered or 400). */
  @Get('stats')
  stats(): IntakeCounters {
    return { ...this.ingestion.counters };
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async submit(@Body() body: unknown): Promise<{ transaction_id: string; status: 'accepted' }> {
    let parsed;
    try {
      parsed = parseWebhookTransaction(body);
    } catch (error) {
      if (error instanceof TransactionValidationError) throw validationError(error);
      throw error;
    }
    const [result] = await this.ingestion.intake([{ input: parsed, origin: `http/${randomUUID()}` }], 'WEBHOOK');
    if (result!.status === 'invalid') throw validationError(result!.error);
    if (result!.status === 'duplicate') {
      throw new HttpException(
        { error: 'DUPLICATE_TRANSACTION', message: `transaction ${result!.transactionId} was already received` },
        HttpStatus.CONFLICT,
      );
    }
    return { transaction_id: result!.transaction.transaction_id, status: 'accepted' };
  }
}

function validationError(error: TransactionValidationError): HttpException {
  return new HttpException(
    { error: error.code, message: error.message, field_errors: error.fieldErrors },
    HttpStatus.BAD_REQUEST,
  );
}
