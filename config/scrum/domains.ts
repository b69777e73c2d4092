/**
 * Domain templates for the scrum dataset: each project belongs to one business domain, and its
 * name, key prefix, issue titles, descriptions and comments are built from that domain's
 * vocabulary, so a healthcare project talks about patients and a logistics one about shipments.
 */

export interface Domain {
  /** Domain label stored on the project. */
  name: string;
  /** Upper-case project key prefix; the key is prefix + ordinal (HEAL1, HEAL2, …). */
  prefix: string;
  /** Project names, used in order for the 1st, 2nd, … project of the domain. */
  projects: readonly string[];
  /** What the product does, completing "A … for …". */
  purpose: string;
  /** Who uses it (story personas). */
  personas: readonly string[];
  /** Product areas (noun phrases) that tasks, bugs, epics and improvements are about. */
  features: readonly string[];
  /** Story seeds: a persona and what they want to do ("As a <persona>, I want to <action>"). */
  stories: readonly (readonly [string, string])[];
}

export const DOMAINS: readonly Domain[] = [
  {
    name: 'healthcare',
    prefix: 'HEAL',
    projects: ['Patient Portal', 'Telehealth Scheduling', 'Clinical Records Sync', 'Pharmacy Refills'],
    purpose: 'patient-facing care platform for clinics and hospitals',
    personas: ['patient', 'nurse', 'physician', 'clinic administrator', 'billing specialist'],
    features: ['appointment booking', 'patient intake form', 'lab results view', 'prescription refill flow', 'HIPAA audit log', 'insurance eligibility check', 'visit summary PDF', 'care team messaging', 'EHR HL7 feed', 'reminder notifications'],
    stories: [['patient', 'book a follow-up visit online'], ['patient', 'see my lab results as soon as they are signed'], ['patient', 'request a prescription refill'], ['nurse', 'see today\'s intake forms before patients arrive'], ['physician', 'review a patient\'s history in one screen'], ['clinic administrator', 'reschedule a provider\'s day without calling patients'], ['billing specialist', 'check insurance eligibility before the visit'], ['patient', 'update my insurance details before a visit'], ['patient', 'message my care team about a new symptom'], ['nurse', 'record vitals from a tablet at the bedside'], ['physician', 'sign lab orders in bulk'], ['clinic administrator', 'see no-show rates per provider']],
  },
  {
    name: 'finance',
    prefix: 'FIN',
    projects: ['Payments Ledger', 'Expense Approvals', 'Loan Origination', 'Fraud Monitoring'],
    purpose: 'money-movement and accounting platform for finance teams',
    personas: ['accountant', 'controller', 'loan officer', 'risk analyst', 'small-business owner'],
    features: ['double-entry ledger', 'invoice reconciliation', 'expense approval chain', 'KYC verification', 'fraud scoring rules', 'multi-currency conversion', 'month-end close report', 'ACH payout batch', 'audit trail export', 'credit limit calculator'],
    stories: [['accountant', 'reconcile bank transactions automatically'], ['controller', 'close the month in fewer steps'], ['controller', 'export the general ledger for auditors'], ['risk analyst', 'flag suspicious payments for review'], ['loan officer', 'see an applicant\'s documents in one place'], ['small-business owner', 'approve expenses from my phone'], ['small-business owner', 'schedule recurring vendor payments'], ['accountant', 'match partial payments to open invoices'], ['controller', 'approve journal adjustments with a second reviewer'], ['risk analyst', 'tune fraud thresholds per merchant'], ['loan officer', 'request missing documents from an applicant'], ['accountant', 'see multi-currency balances in one report']],
  },
  {
    name: 'e-commerce',
    prefix: 'SHOP',
    projects: ['Storefront Checkout', 'Product Catalog', 'Order Fulfilment Hub', 'Loyalty Program'],
    purpose: 'online store and order platform for retail brands',
    personas: ['shopper', 'store manager', 'merchandiser', 'support agent', 'warehouse picker'],
    features: ['checkout page', 'shopping cart', 'product search', 'discount code engine', 'order confirmation email', 'inventory sync', 'returns portal', 'product recommendations', 'payment gateway integration', 'loyalty points balance'],
    stories: [['shopper', 'check out as a guest'], ['shopper', 'track my order status'], ['shopper', 'start a return without contacting support'], ['shopper', 'filter products by size and colour'], ['merchandiser', 'schedule a price change for a collection'], ['store manager', 'see low-stock products each morning'], ['support agent', 'refund one item of an order'], ['shopper', 'save items to a wish list'], ['shopper', 'pay with a saved card in one tap'], ['merchandiser', 'bulk-edit product descriptions'], ['warehouse picker', 'see the next order to pick on a handheld'], ['support agent', 'see a customer\'s past orders during a chat']],
  },
  {
    name: 'education',
    prefix: 'EDU',
    projects: ['Learning Management', 'Gradebook', 'Course Enrollment', 'Virtual Classroom'],
    purpose: 'learning platform for schools and universities',
    personas: ['student', 'teacher', 'teaching assistant', 'registrar', 'parent'],
    features: ['assignment submission', 'gradebook export', 'course catalog', 'enrollment waitlist', 'quiz builder', 'plagiarism check', 'attendance tracker', 'video lecture player', 'parent progress report', 'discussion forum'],
    stories: [['student', 'submit an assignment before the deadline'], ['student', 'see my grades per course'], ['student', 'join the waitlist for a full course'], ['teacher', 'build a quiz from a question bank'], ['teacher', 'take attendance in one click'], ['registrar', 'move a student between sections'], ['parent', 'review my child\'s progress'], ['student', 'download course materials for offline study'], ['teacher', 'give feedback inline on a submission'], ['teaching assistant', 'grade a batch of quizzes at once'], ['registrar', 'publish the timetable for next term'], ['parent', 'get notified about missed assignments']],
  },
  {
    name: 'logistics',
    prefix: 'LOGI',
    projects: ['Fleet Tracking', 'Warehouse Management', 'Route Optimizer', 'Carrier Integration'],
    purpose: 'shipping and warehouse operations platform',
    personas: ['dispatcher', 'driver', 'warehouse manager', 'shipper', 'customer service rep'],
    features: ['shipment tracking page', 'route planner', 'proof of delivery capture', 'dock scheduling', 'carrier rate shopping', 'barcode scanning', 'cycle count workflow', 'ETA prediction', 'customs documents', 'fleet telematics feed'],
    stories: [['dispatcher', 'see every truck on a live map'], ['dispatcher', 'reassign a delivery to another driver'], ['driver', 'capture a signature at delivery'], ['warehouse manager', 'book a dock slot for inbound freight'], ['shipper', 'compare carrier rates for a shipment'], ['shipper', 'print shipping labels in bulk'], ['customer service rep', 'tell a customer when a late shipment will arrive'], ['driver', 'see my next stop with turn-by-turn directions'], ['warehouse manager', 'run a cycle count from a scanner'], ['shipper', 'upload customs documents once per shipment'], ['dispatcher', 'get alerted when a truck is running late'], ['customer service rep', 'share a live tracking link with a customer']],
  },
  {
    name: 'travel',
    prefix: 'TRVL',
    projects: ['Booking Engine', 'Itinerary Planner', 'Loyalty Rewards', 'Partner Hotel API'],
    purpose: 'trip booking platform for travellers and agencies',
    personas: ['traveller', 'travel agent', 'hotel partner', 'corporate travel manager', 'support agent'],
    features: ['flight search', 'hotel availability cache', 'itinerary timeline', 'seat selection', 'fare rules display', 'cancellation flow', 'travel policy checker', 'booking confirmation email', 'currency display', 'partner availability sync'],
    stories: [['traveller', 'compare fares across dates'], ['traveller', 'pick a seat after booking'], ['traveller', 'get gate change alerts'], ['corporate travel manager', 'book within my company travel policy'], ['travel agent', 'share an itinerary with a client'], ['hotel partner', 'update room availability in real time'], ['support agent', 'cancel a booking and show the refund'], ['traveller', 'keep all my bookings in one itinerary'], ['traveller', 'rebook a cancelled flight without calling'], ['travel agent', 'hold a fare for a client for 24 hours'], ['corporate travel manager', 'see spend per department'], ['hotel partner', 'set blackout dates for promotions']],
  },
  {
    name: 'media',
    prefix: 'MEDIA',
    projects: ['Streaming Player', 'Content Management', 'Subscriber Billing', 'Editorial Workflow'],
    purpose: 'publishing and streaming platform for a media company',
    personas: ['subscriber', 'editor', 'content producer', 'ad operations manager', 'journalist'],
    features: ['video player', 'content scheduling', 'paywall', 'subtitle pipeline', 'article editor', 'recommendation feed', 'subscription renewal', 'ad slot configuration', 'offline downloads', 'comment moderation queue'],
    stories: [['subscriber', 'resume a video where I stopped'], ['subscriber', 'download episodes for offline viewing'], ['subscriber', 'manage my subscription plan'], ['editor', 'schedule an article for publication'], ['editor', 'moderate reader comments quickly'], ['content producer', 'add subtitles to a clip'], ['ad operations manager', 'see which slots are sold for next week'], ['subscriber', 'switch profiles on a shared account'], ['journalist', 'file a story from my phone'], ['editor', 'compare two drafts side by side'], ['content producer', 'schedule a clip for several platforms'], ['ad operations manager', 'pause a campaign across all slots']],
  },
  {
    name: 'energy',
    prefix: 'NRG',
    projects: ['Smart Meter Analytics', 'Grid Outage Map', 'Solar Installer Portal', 'Energy Billing'],
    purpose: 'utility operations platform for grid and customer teams',
    personas: ['utility customer', 'grid operator', 'field technician', 'installer', 'billing analyst'],
    features: ['meter reading ingestion', 'outage map', 'usage dashboard', 'tariff calculator', 'work order dispatch', 'solar permit tracker', 'demand forecast', 'bill explanation page', 'SCADA alarm feed', 'payment plan enrollment'],
    stories: [['utility customer', 'see my hourly energy usage'], ['utility customer', 'report an outage from my phone'], ['utility customer', 'set up a payment plan'], ['installer', 'track a solar installation permit'], ['grid operator', 'dispatch the nearest technician'], ['field technician', 'close a work order from the site'], ['billing analyst', 'explain a bill change to a customer'], ['utility customer', 'compare my usage with last year'], ['utility customer', 'get an alert before a planned outage'], ['grid operator', 'see feeder load on a live map'], ['field technician', 'attach photos to a work order'], ['billing analyst', 'rerun a bill after a meter correction']],
  },
];

export const TASK_VERBS = ['Implement', 'Set up', 'Add validation to', 'Refactor', 'Document', 'Add monitoring for', 'Write integration tests for', 'Migrate', 'Add feature flag for', 'Localize'] as const;

export const BUG_SYMPTOMS = [
  'shows stale data after refresh',
  'times out under load',
  'returns 500 on empty input',
  'breaks on mobile Safari',
  'loses changes on back navigation',
  'sends duplicate notifications',
  'rounds totals incorrectly',
  'ignores the user\'s time zone',
  'fails for names with accents',
  'is not accessible by keyboard',
] as const;

export const IMPROVEMENT_ASPECTS = ['performance', 'accessibility', 'error messages', 'loading time', 'empty states', 'audit logging', 'test coverage', 'observability'] as const;

export const EPIC_SUFFIXES = ['MVP', 'v2', 'rollout', 'redesign', 'foundation', 'compliance'] as const;

/** Story qualifiers, in order of use: the first stories of a project have none. */
export const STORY_QUALIFIERS = ['', ' on mobile', ' from an email link', ' with a screen reader', ' in under a minute', ' in my own language', ' without calling support', ' while offline'] as const;
