import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** Join the caller's transaction when there is one, or open a new one. */
export function inTransaction<T>(
  outer: TransactionClientContract | undefined,
  work: (trx: TransactionClientContract) => Promise<T>
): Promise<T> {
  return outer ? work(outer) : db.transaction(work)
}
