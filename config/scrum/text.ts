/**
 * What the tracker's people write: story titles, issue descriptions, and comments that follow the
 * issue's life. A comment is written at a stage of its issue (refinement, work, review, done) no
 * later than the issue's status — a To Do issue is discussed, never "deployed" — and speaks about
 * the issue's own subject: its feature, or for a story its persona and goal.
 */
import { article, grammar, type Rng } from '../../src/index.js';
import type { StatusCode, Topic, TypeCode } from './model.js';
import type { Domain } from './domains.js';

/** "As a nurse, I want to …" / "As an accountant, I want to …". */
export const storyTitle = (persona: string, action: string): string => `As ${article(persona)} ${persona}, I want to ${action}`;

export function issueDescription(r: Rng, d: Domain, kind: TypeCode, t: Topic): string {
  switch (kind) {
    case 'story':
      return `Acceptance criteria: ${article(t.persona)} ${t.persona} can ${t.action}; errors are explained in plain language; covered by automated tests.`;
    case 'bug': {
      const who = r.pick(d.personas);
      return `Steps to reproduce: open the ${t.feature} as ${article(who)} ${who} and repeat the action. Expected: the ${t.feature} behaves as specified. Seen in ${r.pick(['production', 'staging', 'QA'])}.`;
    }
    case 'epic':
      return `Groups the work on the ${t.feature} for the ${d.purpose}. Success metric: ${r.pick(['adoption', 'task completion time', 'support tickets', 'conversion'])} improves for ${r.pick(d.personas)}s.`;
    default:
      return `The ${t.feature} needs this before the next release; ${r.pick(d.personas)}s asked for it in the last review.`;
  }
}

/** Stage of the workflow a status has reached (0 refinement … 3 done). */
export const STAGE: Readonly<Record<StatusCode, number>> = { todo: 0, in_progress: 1, in_review: 2, done: 3 };

/**
 * Stage of comment k (of n) on an issue at `state`: comments spread over its life in order, the last
 * at the issue's own stage, none beyond it.
 */
export const commentStage = (state: StatusCode, k: number, n: number): number => {
  const s = STAGE[state];
  return s === 0 ? 0 : Math.min(s, Math.round(((k + 1) / n) * s));
};

/**
 * Symbols `s<stage>_<kind>`; `{$subject}` is "the <feature>" (or "this story"), `{$persona}` and
 * `{$action}` a story's need, `{$feature}` the bare feature.
 */
export const COMMENTS = grammar({
  env: ['staging', 'production', 'the QA environment', 'a fresh account', 'Safari on iOS', 'the latest Chrome'],
  day: ['tomorrow', 'today', 'by Thursday', 'before the sprint review', 'early next week'],
  release: ['the 2.14 release', 'this week\'s release', 'the Tuesday deploy', 'release 2025.06', 'the hotfix release'],
  cause: ['a missing index on the lookup query', 'a race between two saves', 'stale cache entries', 'a time zone conversion', 'an unchecked null from the API', 'a retry that was not idempotent'],
  points: ['1', '2', '3', '5', '8'],
  s0_any: [
    'Estimated at {points} points in refinement.', 'Can product confirm the scope before we pick this up?', 'Linked the customer request that motivates this.',
    'Moved up the backlog after the planning session.', 'Do we have designs for {$subject} yet?', 'Added this to the agenda of the next refinement.',
  ],
  s0_story: ['{s0_any}', 'Added acceptance criteria: {a $persona} can {$action}.', 'Design shared a first draft for this story.', 'We should check with a few {$persona}s whether this is the right flow.'],
  s0_task: ['{s0_any}', 'Tech approach for {$subject} is in the design doc.', 'This touches {$subject}; we need a migration plan first.'],
  s0_bug: ['{s0_any}', 'Reproduced on {env} with {$subject}.', 'Could not reproduce on {env} yet; asked the reporter for steps.', 'Customer success reports two more accounts hitting this in {$subject}.', 'Looks like a regression in {$subject} since the last release.'],
  s0_epic: ['{s0_any}', 'Drafted the success metric for this epic.', 'Broke {$subject} down into stories; more to come after refinement.'],
  s0_improvement: ['{s0_any}', 'Collected the complaints about {$subject} from support.', 'We should measure {$subject} before and after this change.'],
  s1_any: ['Started on {$subject}; first part should be up {day}.', 'Pairing on {$subject} {day}.', 'Found an edge case in {$subject}; adding a test for it.', 'Halfway there on {$subject}.'],
  s1_story: ['Started on this story: {a $persona} can already {$action} behind a feature flag.', 'Pairing on this story {day}.', 'Blocked until the API contract for this story is agreed.', 'Found an edge case while building the {$persona} flow; adding a test for it.'],
  s1_task: ['{s1_any}', 'Blocked until the API contract for {$subject} is agreed.'],
  s1_bug: ['Root cause: {cause}. Working on the fix for {$subject}.', 'Fix for {$subject} is in progress; adding a regression test.', '{s1_any}'],
  s1_epic: ['Stories for {$subject} are in progress.', 'First stories of this epic are being built.', 'Reprioritised the stories of {$subject} after feedback.'],
  s1_improvement: ['{s1_any}', 'Profiling {$subject} to see where the time goes.'],
  s2_any: ['PR is up for review: {$subject}, behind a feature flag.', 'Review comments addressed, ready for another look.', 'QA is testing {$subject} on staging.', 'Requested changes: missing tests for {$subject}.'],
  s2_story: ['PR is up for review: {a $persona} can now {$action}.', 'QA is testing this story on staging.', 'Review comments addressed, ready for another look.', 'Demo recorded for the product owner to review.'],
  s2_task: ['{s2_any}'],
  s2_bug: ['Fix for {$subject} is up for review with a regression test.', 'QA is verifying the fix on {env}.', '{s2_any}'],
  s2_epic: ['Most stories of {$subject} are in review.', 'Remaining stories of this epic are in QA.'],
  s2_improvement: ['{s2_any}', 'Before/after numbers for {$subject} are in the PR description.'],
  s3_any: ['Deployed to production; monitoring {$subject}.', 'QA passed on staging, merged and released.', 'Verified in production, closing.', 'Released in {release}; release notes updated.'],
  s3_story: ['Accepted by the product owner after the demo.', 'Released in {release}: {a $persona} can now {$action}.', 'Verified in production, closing.'],
  s3_task: ['{s3_any}'],
  s3_bug: ['Fixed in {release}; the reporter confirmed {$subject} works again.', 'Verified on {env} after the deploy, closing.', '{s3_any}'],
  s3_epic: ['All stories of this epic are done; closing.', 'Shipped {$subject}; the success metric is on the dashboard.'],
  s3_improvement: ['{s3_any}', 'Shipped; {$subject} is noticeably better on the dashboard.'],
});

/** The `vars` comments of an issue use. */
export const commentVars = (kind: TypeCode, t: Topic): Record<string, string> =>
  kind === 'story' ? { subject: 'this story', persona: t.persona, action: t.action, feature: '' } : { subject: `the ${t.feature}`, persona: '', action: '', feature: t.feature };

/** Sprint goals name a feature of the domain. */
export const GOALS = grammar({ start: ['{verb} the {$feature}'], verb: ['Ship', 'Stabilise', 'Finish', 'Pilot', 'Harden', 'Polish'] });
