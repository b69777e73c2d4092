/**
 * What people write in the chat dataset: channel names and purposes by team and topic, short bios,
 * and messages by the kind of channel they are posted in (an incident channel talks about alerts
 * and rollbacks, a sales channel about deals, a DM about lunch and reviews). Template grammars with
 * prepared word lists: deterministic per row and a few string concatenations per message.
 */
import { grammar } from '../../src/index.js';

/** Channel name parts: `<team>-<topic><suffix>`, combined by a bijection, so names are unique. */
export const TEAMS = [
  'eng', 'design', 'sales', 'marketing', 'ops', 'support', 'finance', 'people', 'data', 'product', 'infra', 'mobile', 'web', 'security',
  'legal', 'growth', 'success', 'qa', 'research', 'platform', 'payments', 'search', 'billing', 'partners', 'content', 'brand', 'it', 'devrel',
  'ml', 'frontend',
] as const;

/** Topics with the family of conversation they host. */
export const TOPICS: readonly (readonly [string, Family])[] = [
  ['general', 'team'], ['standup', 'team'], ['random', 'social'], ['announcements', 'team'], ['releases', 'eng'], ['deploys', 'eng'],
  ['incidents', 'eng'], ['alerts', 'eng'], ['oncall', 'eng'], ['reviews', 'eng'], ['backend', 'eng'], ['api', 'eng'], ['roadmap', 'team'],
  ['planning', 'team'], ['hiring', 'team'], ['onboarding', 'team'], ['feedback', 'team'], ['launch', 'team'], ['deals', 'sales'],
  ['pipeline', 'sales'], ['renewals', 'sales'], ['leads', 'sales'], ['customers', 'sales'], ['tickets', 'support'], ['escalations', 'support'],
  ['docs', 'team'], ['metrics', 'team'], ['experiments', 'team'], ['design-crit', 'design'], ['ux-research', 'design'], ['mockups', 'design'],
  ['offsite', 'social'], ['lunch', 'social'], ['books', 'social'], ['music', 'social'], ['pets', 'social'], ['wins', 'team'], ['help', 'team'],
  ['budget', 'team'], ['vendors', 'team'],
];
export const SUFFIXES = ['', '-emea', '-us', '-apac', '-leads', '-2025', '-archive', '-latam'] as const;

/** Kinds of conversation, each with its own message grammar. */
export const FAMILIES = ['team', 'eng', 'sales', 'support', 'design', 'social', 'dm'] as const;
export type Family = (typeof FAMILIES)[number];

const shared = {
  hi: ['Hey', 'Hi', 'Morning', 'Quick one', 'Heads up', 'FYI', 'Hey all', 'Hi team'],
  ack: ['Thanks!', 'Got it, thanks.', 'Sounds good.', 'Makes sense.', 'Perfect, thank you!', 'On it.', 'Will do.', 'Nice work!', 'Agreed.', 'Great, thanks for checking.'],
  day: ['today', 'tomorrow', 'this afternoon', 'by Friday', 'on Monday', 'before the weekly sync', 'by end of day', 'next week', 'after lunch'],
  /** Times that follow "to" or "is" ("move it to Thursday", "the retro is tomorrow"). */
  when: ['Thursday', 'next week', 'Monday morning', 'Friday afternoon', 'tomorrow', 'later today'],
  away: ['today', 'tomorrow', 'this afternoon', 'on Monday', 'next week', 'Thursday and Friday'],
  doc: ['the spec', 'the project brief', 'the planning doc', 'the retro notes', 'the onboarding guide', 'the Q3 plan', 'the FAQ', 'the decision log', 'the runbook'],
  meeting: ['the weekly sync', 'standup', 'the planning session', 'the retro', 'the all-hands', 'the design review', 'the kickoff', 'our 1:1'],
  followup: [
    'Let me know if you have questions.', 'Details are in the thread.', 'Happy to jump on a call.', 'I will update this thread {day}.', 'No rush.',
    'Thanks in advance!', 'Links are in {doc}.', 'Shout if I missed anything.', 'More context in {doc}.',
  ],
  answer: [
    'Yes, I can take it.', 'Looking now.', 'Thanks, that helps.', 'Done, please check again.', 'Not yet, {when} at the latest.', 'Good point, updated.',
    'I think so, let me double-check.', 'Same here.', '+1', 'Works for me.', 'Can you share the link?', 'On it.', 'Great, thank you!',
  ],
};

const ENG = {
  service: ['the billing service', 'the search API', 'the auth service', 'the mobile app', 'the checkout flow', 'the data pipeline', 'the web dashboard', 'the notifications worker', 'the export job', 'the sync service'],
  thing: ['the migration', 'the hotfix', 'the release branch', 'the feature flag', 'the staging deploy', 'the flaky test', 'the new index', 'the cache change', 'the rate limiter', 'the rollback plan'],
  metric: ['p95 latency', 'the error rate', 'CPU on the workers', 'queue depth', 'memory usage', 'the 5xx count', 'build times', 'cold starts'],
  event: [
    'Deploy of {service} went out', '{^metric} is back to normal', 'Rolled back {thing}', '{^service} is throwing timeouts again',
    'The alert for {metric} fired twice overnight', 'CI is green again', 'Merged {thing} into main', 'Staging is broken after {thing}',
  ],
  ask: [
    'can someone review my PR for {thing}?', 'is anyone looking at {metric} on {service}?', 'who owns {service} this week?',
    'should we hold {thing} until after the release?', 'do we have a runbook for {service}?', 'can we pair on {thing} {day}?',
    'any objections to shipping {thing} {day}?', 'is {thing} safe to retry?',
  ],
  status: [
    '{event}.', '{event}, keeping an eye on {metric}.', '{event}; I will post an update {day}.', 'Looking into {thing} now.',
    'I opened a ticket for {thing} and linked the logs.', 'Root cause was {thing}, fix is up for review.', 'Paging the on-call for {service}.',
    'Bumped the timeout on {service} and {metric} looks better.',
  ],
};

const SALES = {
  client: ['Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark Industries', 'Wayne Logistics', 'Acme Retail', 'Hooli', 'Vandelay Imports', 'Soylent Foods', 'Pied Piper', 'Cyberdyne'],
  stage: ['signed', 'moved to legal review', 'asked for a second demo', 'went quiet', 'renewed for two years', 'wants a discount', 'requested a security review', 'is comparing us with a competitor'],
  ask: ['can someone join the {client} call {day}?', 'do we have a case study for {client}?', 'who has the latest pricing sheet?', 'can finance approve the {client} discount {day}?', 'any tips for the {client} renewal?'],
  status: ['{client} {stage}.', 'Good call with {client}, they {stage}.', 'Updated the forecast after {client} {stage}.', 'Sent the proposal to {client}, follow-up {day}.', 'Big win: {client} {stage}!'],
};

const SUPPORT = {
  issue: ['a billing question', 'a login problem', 'an export that times out', 'a missing invoice', 'a broken integration', 'a refund request', 'slow page loads', 'a password reset loop'],
  ask: ['can someone from engineering look at {issue}?', 'has anyone seen {issue} before?', 'is there a known workaround for {issue}?', 'who can take the ticket about {issue}?'],
  status: ['Three more tickets about {issue} this morning.', 'Closed the ticket about {issue}, customer is happy.', 'Escalated {issue} to tier 2.', 'Wrote a help article for {issue}.', 'Queue is down to 12 open tickets.'],
};

const DESIGN = {
  screen: ['the onboarding flow', 'the settings page', 'the new navigation', 'the pricing page', 'the empty states', 'the mobile checkout', 'the dashboard cards', 'the icon set'],
  ask: ['feedback welcome on {screen}.', 'can we review {screen} in {meeting}?', 'does {screen} work for screen readers?', 'which version of {screen} do you prefer?'],
  status: ['Posted new mockups for {screen}.', 'User interviews on {screen} are done, summary in {doc}.', 'Updated {screen} after the research findings.', 'Handed off {screen} to engineering.'],
};

const SOCIAL = {
  thing: ['the team lunch', 'the offsite', 'the book club', 'the game night', 'the coffee order', 'the playlist', 'the hackathon', 'the running club'],
  ask: ['who is in for {thing} {day}?', 'any recommendations for a good book?', 'anyone up for coffee?', 'what should we do for {thing}?', 'pizza or tacos for {thing}?'],
  status: ['Photos from {thing} are in the shared folder.', 'Thanks everyone for coming to {thing}!', 'Reminder: {thing} is {when}.', 'Happy Friday everyone!', 'Welcome to the team, glad to have you here!'],
};

const TEAM = {
  ask: ['can everyone add their updates to {doc} {day}?', 'are we still on for {meeting} {day}?', 'who is taking notes in {meeting}?', 'any questions before {meeting}?', 'can we move {meeting} to {when}?'],
  status: ['Shared {doc}, comments welcome.', 'Notes from {meeting} are in {doc}.', 'Reminder: {meeting} is {when}.', 'Updated {doc} with the decisions from {meeting}.', 'I am out {away}, back online after that.', 'Hiring update: two more interviews {day}.'],
};

const DM = {
  ask: ['do you have a minute {day}?', 'can you look at my comments on {doc}?', 'lunch {day}?', 'can we move our 1:1 to {when}?', 'did you get a chance to read {doc}?', 'can you cover for me in {meeting}?'],
  status: ['Sent you the link.', 'Just left some comments on {doc}.', 'Running five minutes late.', 'Thanks for the help earlier!', 'I will ping you after {meeting}.', 'Call me when you are free.'],
};

/**
 * One grammar per family. `start` is a new message: one sentence 55% of the time, else two or
 * three that belong together (a status and a question, a question and its context); `reply` answers
 * in a thread, one sentence 80% of the time, so that across all messages (20% replies) 60% are one
 * sentence and 40% a short paragraph.
 */
function family(spec: Readonly<Record<string, readonly string[]>>) {
  return grammar({
    ...shared,
    ...spec,
    one: ['{^ask}', '{hi}, {ask}', '{status}', '{status}', '{ack}'],
    two: ['{status} {^ask}', '{hi}, {ask} {followup}', '{status} {followup}', '{ack} {status}', '{^ask} {followup}'],
    three: ['{status} {followup} {^ask}', '{hi}, {ask} {status} {followup}', '{ack} {status} {followup}'],
    start: [['{one}', 55], ['{two}', 28], ['{three}', 17]],
    reply: [['{answer}', 50], ['{ack}', 20], ['{status}', 10], ['{answer} {followup}', 12], ['{answer} {status}', 8]],
  });
}

export const MESSAGES: Readonly<Record<Family, ReturnType<typeof grammar>>> = {
  team: family(TEAM),
  eng: family(ENG),
  sales: family(SALES),
  support: family(SUPPORT),
  design: family(DESIGN),
  social: family(SOCIAL),
  dm: family(DM),
};

export const DESCRIPTIONS = grammar({
  start: ['{what} for the {$team} team{tail}', '{what} about {$topic}{tail}', '{^$topic} for the {$team} team{tail}'],
  what: ['Day-to-day chat', 'Updates and questions', 'Coordination', 'Announcements and discussion', 'Async updates', 'Quick questions and answers'],
  tail: ['.', '. Please keep threads on topic.', '. Pin anything important.', '. Use threads for long discussions.'],
});

export const BIOS = grammar({
  start: ['{role} {place}. {likes}', '{role}. {likes}', '{likes}', '{role} {place}.'],
  role: ['Backend engineer', 'Product designer', 'Account executive', 'Support lead', 'Data analyst', 'Engineering manager', 'Marketing manager', 'Recruiter', 'Finance partner', 'QA engineer', 'Mobile developer', 'Customer success manager'],
  place: ['based in Lisbon', 'in Toronto', 'working from Berlin', 'in Austin', 'remote from the coast', 'in Singapore', 'in the London office', 'in Nairobi'],
  likes: ['Coffee, climbing and clean code.', 'Ask me about dashboards.', 'Dog person.', 'Usually on the 8:15 train.', 'Runner and amateur baker.', 'Happy to help with onboarding.', 'Learning Portuguese.', 'Always up for a board game.'],
});
