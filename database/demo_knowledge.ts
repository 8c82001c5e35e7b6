/*
| The demo help centre seeded on first start, so the assistant answers out
| of the box (quoting the best passage when no model is configured).
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import KnowledgeService from '#knowledge/knowledge_service'

export const DEMO_DOCUMENTS: Array<{ title: string; content: string }> = [
  {
    title: 'Billing FAQ',
    content: `# Billing FAQ

## Changing the card on a subscription
Open Settings → Billing → Payment method and choose "Replace card". The new card is charged from the next invoice; the old one is removed at once.

## Invoices and receipts
Every payment produces an invoice, emailed to the account owner and kept under Settings → Billing → Invoices, where each one can be downloaded as a PDF. To put a company name or VAT number on future invoices, fill in Settings → Billing → Company details.

## Refunds
Annual plans can be refunded in full within 14 days of payment. Monthly plans are not refunded, but cancelling stops the next charge. Refunds reach the original card within 5–10 business days.

## Failed payments
When a payment fails we retry it after 3 and 7 days and email the account owner each time. The account stays active for 14 days; update the card to settle it at once.`,
  },
  {
    title: 'Shipping and returns',
    content: `# Shipping and returns

## Delivery times
Orders placed before 2 pm ship the same working day. Standard delivery takes 2–4 working days; express delivery arrives the next working day.

## Tracking an order
The shipping confirmation email has a tracking link. The same link is under Orders in your account as soon as the parcel leaves the warehouse.

## Returning an item
Items can be returned within 30 days of delivery, unused and in their original packaging. Start a return under Orders → Return item, print the prepaid label and drop the parcel at any post office. The refund follows within 5 days of the parcel reaching us.

## Damaged or missing items
Write to us within 7 days with a photo of the damage or of the parcel's label; we send a replacement at no cost.`,
  },
  {
    title: 'Account and login',
    content: `# Account and login

## Resetting a password
On the login page choose "Forgot password" and enter your email address. The reset link is valid for one hour; check the spam folder if it does not arrive within a few minutes.

## Two-factor authentication
Turn it on under Settings → Security → Two-factor authentication and scan the QR code with an authenticator app. Keep the recovery codes: each works once if the phone is lost.

## Deleting an account
The account owner can delete the account under Settings → Account → Delete account. Data is erased after 30 days; until then the deletion can be undone by logging in.`,
  },
]

export async function seedDemoKnowledge(trx: TransactionClientContract, teamId: number) {
  const knowledge = new KnowledgeService()
  const collection = await knowledge.createCollection(
    { teamId, name: 'Help centre', description: 'Demo articles the assistant answers from' },
    trx
  )
  for (const [index, doc] of DEMO_DOCUMENTS.entries()) {
    await knowledge.saveDocument(
      {
        collectionId: collection.id,
        title: doc.title,
        format: 'markdown',
        body: doc.content,
        externalId: `demo:${index + 1}`,
      },
      trx
    )
  }
}
