import banking77 from './banking77.json' with { type: 'json' }

/** Customer queries from BANKING77 (PolyAI, CC-BY-4.0): see README.md in this folder. */
export const QUERIES: readonly { category: string; text: string }[] = banking77

export const WORKSPACE_NAME = 'Lumen Bank'
export const DEMO_PASSWORD = 'demo-password'
export const DEMO_DOMAIN = 'demo.allhands.test'

export const TEAMS = ['Support', 'Billing', 'Engineering'] as const
export type TeamName = (typeof TEAMS)[number]

export const STAFF: readonly { name: string; role: 'admin' | 'agent' | 'contributor'; teams: TeamName[] }[] = [
  { name: 'Morgan Reyes', role: 'admin', teams: ['Support', 'Billing'] },
  { name: 'Alex Kim', role: 'agent', teams: ['Support'] },
  { name: 'Priya Nair', role: 'agent', teams: ['Support'] },
  { name: 'Jonas Berg', role: 'agent', teams: ['Support'] },
  { name: 'Fatima Zahra', role: 'agent', teams: ['Support', 'Billing'] },
  { name: 'Lucas Martin', role: 'agent', teams: ['Billing'] },
  { name: 'Sofia Rossi', role: 'agent', teams: ['Billing'] },
  { name: 'Daniel Okafor', role: 'agent', teams: ['Engineering', 'Support'] },
  { name: 'Mei Chen', role: 'agent', teams: ['Engineering'] },
  { name: 'Tom Walker', role: 'contributor', teams: ['Engineering'] },
  { name: 'Ines Duarte', role: 'contributor', teams: ['Engineering'] },
  { name: 'Ravi Patel', role: 'contributor', teams: ['Billing'] },
  { name: 'Hannah Schmidt', role: 'contributor', teams: ['Support'] },
]

/** Inboxes besides the workspace's default one; each routes to a team. */
export const INBOXES: readonly { name: string; type: 'email' | 'web_form' | 'api'; team: TeamName }[] = [
  { name: 'support@lumenbank.example', type: 'email', team: 'Support' },
  { name: 'billing@lumenbank.example', type: 'email', team: 'Billing' },
  { name: 'Contact form', type: 'web_form', team: 'Support' },
  { name: 'Mobile app', type: 'api', team: 'Engineering' },
]

export const ORGANIZATIONS = [
  'Acme Logistics',
  'Bluebird Travel',
  'Cedar & Pine Architects',
  'Delta Dental Group',
  'Evergreen Foods',
  'Foxglove Studio',
  'Granite Capital',
  'Harbor Freight Co',
  'Ironwood Consulting',
  'Juniper Health',
  'Kestrel Aviation',
  'Lighthouse Media',
  'Maple Street Bakery',
  'Northwind Traders',
  'Orchid Hotels',
  'Pinnacle Fitness',
  'Quarry Labs',
  'Redwood Schools',
  'Silverline Couriers',
  'Tidewater Marine',
  'Umber Coffee Roasters',
  'Vantage Analytics',
  'Willow Veterinary',
  'Xenon Robotics',
  'Yellowfin Sports',
  'Zephyr Energy',
  'Atlas Property',
  'Beacon Legal',
  'Copperleaf Farms',
  'Driftwood Furniture',
  'Ember Games',
  'Fable Books',
  'Glacier Water',
  'Horizon Dental',
  'Indigo Textiles',
  'Jade Garden Restaurants',
  'Keystone Builders',
  'Lumina Optics',
  'Meridian Insurance',
  'Nimbus Cloud Services',
] as const

export const PLANS = ['Free', 'Plus', 'Premium', 'Business'] as const
export const TIERS = ['standard', 'gold', 'platinum'] as const

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Oliver',
  'Sophia',
  'Elijah',
  'Isabella',
  'James',
  'Mia',
  'William',
  'Amelia',
  'Benjamin',
  'Harper',
  'Lucas',
  'Evelyn',
  'Henry',
  'Abigail',
  'Theo',
  'Chloe',
  'Mateo',
  'Aisha',
  'Kenji',
  'Lena',
  'Omar',
  'Zara',
  'Diego',
  'Nora',
  'Arjun',
  'Freya',
  'Yusuf',
  'Clara',
  'Mohammed',
  'Elena',
  'Tariq',
  'Ingrid',
  'Samuel',
  'Leila',
  'Hugo',
  'Anya',
  'Felix',
  'Maya',
  'Ethan',
  'Grace',
  'Kofi',
  'Sara',
  'Ivan',
  'Ruth',
  'Pablo',
] as const

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Young',
  'Walker',
  'Hall',
  'Allen',
  'Wright',
  'Scott',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Campbell',
  'Mitchell',
  'Roberts',
  'Carter',
  'Phillips',
  'Evans',
  'Turner',
  'Novak',
  'Kowalski',
  'Jensen',
  'Haddad',
  'Sato',
  'Mensah',
  'Dubois',
  'Fischer',
  'Rossi',
  'Costa',
  'Ivanova',
  'Ahmed',
  'Singh',
  'Kaur',
  'Silva',
  'Okoro',
] as const

export const PERSONAL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'] as const

/** Which team handles a BANKING77 category: money questions go to Billing, app and security problems to Engineering. */
export function teamForCategory(category: string): TeamName {
  if (/fee|charge|refund|exchange_rate|top_up|transfer|cash|payment|balance|statement|declined|direct_debit|beneficiary/.test(category)) return 'Billing'
  if (/app|passcode|pin|verify|identity|compromised|virtual|apple_pay|contactless|disposable|terminate|edit_personal/.test(category)) return 'Engineering'
  return 'Support'
}

/** Categories where the customer may be losing money right now. */
export const URGENT_CATEGORIES = /lost_or_stolen|compromised|cash_withdrawal_not_recognised|card_payment_not_recognised|transaction_charged_twice|pin_blocked/

export const CUSTOMER_FOLLOW_UPS = [
  'Thanks for the quick answer. I tried that but it still does not work, what else can I do?',
  'I checked again this morning and nothing has changed.',
  'Could you tell me how long this usually takes? I need the money for rent this week.',
  'I have attached a screenshot of the error from the app.',
  'That worked, thank you so much!',
  'Sorry, one more question: will this affect my other card as well?',
  'I did not receive any email from you about this, can you resend it?',
  'Is there a phone number I can call instead?',
  'The app says the transaction is still pending.',
  'Great, that explains it. Have a nice day.',
] as const

/** Agent replies; {first} is the customer's first name, {topic} the ticket subject in lower case, {agent} the agent's first name. */
export const REPLIES = [
  'Hi {first},\n\nThanks for reaching out about {topic}. I have looked into your account and can see what happened. I have fixed it on our side; you should see the change in the app within the next hour.\n\nBest,\n{agent}',
  'Hello {first},\n\nSorry for the trouble with {topic}. Could you confirm the last four digits of your card and the date of the transaction so I can find it?\n\nThanks,\n{agent}',
  'Hi {first},\n\nGood question! You can manage this yourself in the app under Cards > Settings. If anything looks wrong there, just reply to this email and I will take care of it.\n\nCheers,\n{agent}',
  'Hi {first},\n\nI have escalated {topic} to our specialist team. They usually answer within one business day and I will keep you posted here.\n\nKind regards,\n{agent}',
  'Hi {first},\n\nThis is expected: transfers and card payments can take up to 3 business days to settle. If it has not arrived by Friday, let me know and I will open an investigation.\n\nBest wishes,\n{agent}',
  'Hello {first},\n\nI have refunded the fee to your account as a one-off gesture. It should show up on your statement within 2 days.\n\nAll the best,\n{agent}',
  'Hi {first},\n\nFor your security I have frozen the card and ordered a replacement. It will arrive at your registered address within 5 to 7 days.\n\nTake care,\n{agent}',
  'Hi {first},\n\nGlad to hear it is sorted. I will close this ticket now, but feel free to reply if anything else comes up.\n\n{agent}',
] as const

export const NOTES = [
  'Checked the ledger: the payment is stuck in the clearing batch from Monday. @{colleague} can you confirm?',
  'Customer is on the {plan} plan, we can waive the fee once.',
  'Same issue as three other tickets this week; looks like a problem with the card processor.',
  'Asked engineering to look at the app logs for this account.',
  'Identity check passed, OK to reissue the card.',
  'Second time this customer reports this. Keep an eye on it.',
] as const
