/**
 * scrum business rules as SQL: each query returns the rows that break its rule.
 */
import type { CheckDef } from '../../src/index.js';
import { REF, REF_DAY } from './model.js';

export const scrumChecks: readonly CheckDef[] = [
  // People and access
  {
    name: 'owner_can_log_in',
    sql: `SELECT o.id FROM organizations o LEFT JOIN users u ON u.id = o.owner_id WHERE u.id IS NULL OR u.password_hash NOT LIKE 'pbkdf2_sha256$%' OR NOT u.is_active`,
    description: 'The organization owner (the first known login) exists, is active and has a password.',
  },
  { name: 'exactly_six_users', sql: `SELECT count(*) AS users FROM users HAVING count(*) <> 6`, description: 'Six users: the owner and five team members.' },
  {
    name: 'password_hash_format',
    sql: `SELECT id FROM users WHERE password_hash !~ '^pbkdf2_sha256\\$[0-9]+\\$[A-Za-z0-9]+\\$[A-Za-z0-9+/]+=*$'`,
    description: 'Every password is a PBKDF2-SHA256 hash in Django format (pbkdf2_sha256$iterations$salt$hash).',
  },
  { name: 'every_user_in_organization', sql: `SELECT u.id FROM users u CROSS JOIN organizations o WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.user_id = u.id AND m.organization_id = o.id)`, description: 'All users are members of the organization.' },
  { name: 'organization_owner_is_owner_member', sql: `SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = o.owner_id AND m.role = 'owner')` },
  { name: 'one_organization_one_workspace', sql: `SELECT 'organizations' AS t WHERE (SELECT count(*) FROM organizations) <> 1 UNION ALL SELECT 'workspaces' WHERE (SELECT count(*) FROM workspaces) <> 1` },
  // Projects and their configuration
  { name: 'project_count_10_to_20', sql: `SELECT count(*) AS projects FROM projects HAVING count(*) NOT BETWEEN 10 AND 20` },
  { name: 'project_key_format', sql: `SELECT id, key FROM projects WHERE key !~ '^[A-Z]+[0-9]+$'` },
  { name: 'project_lead_is_member', sql: `SELECT p.id FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = p.lead_id AND m.role = 'lead')` },
  { name: 'six_issue_types_per_project', sql: `SELECT p.id FROM projects p LEFT JOIN issue_types t ON t.project_id = p.id GROUP BY p.id HAVING count(t.id) <> 6` },
  { name: 'four_statuses_per_project', sql: `SELECT p.id FROM projects p LEFT JOIN workflow_statuses s ON s.project_id = p.id GROUP BY p.id HAVING count(s.id) <> 4` },
  {
    name: 'transitions_within_project',
    sql: `SELECT t.id FROM workflow_transitions t JOIN workflow_statuses a ON a.id = t.from_status_id JOIN workflow_statuses b ON b.id = t.to_status_id WHERE a.project_id <> t.project_id OR b.project_id <> t.project_id OR t.from_status_id = t.to_status_id`,
  },
  { name: 'one_configuration_and_board_per_project', sql: `SELECT p.id FROM projects p WHERE (SELECT count(*) FROM project_configurations c WHERE c.project_id = p.id) <> 1 OR (SELECT count(*) FROM boards b WHERE b.project_id = p.id) <> 1` },
  {
    name: 'configuration_defaults_within_project',
    sql: `SELECT c.id FROM project_configurations c JOIN issue_types t ON t.id = c.default_issue_type_id JOIN workflow_statuses s ON s.id = c.default_status_id WHERE t.project_id <> c.project_id OR s.project_id <> c.project_id`,
  },
  { name: 'board_type_matches_methodology', sql: `SELECT b.id FROM boards b JOIN projects p ON p.id = b.project_id WHERE b.board_type::text <> p.methodology::text` },
  {
    name: 'board_columns_map_project_statuses',
    sql: `SELECT b.id FROM boards b LEFT JOIN board_columns bc ON bc.board_id = b.id LEFT JOIN workflow_statuses s ON s.id = bc.status_id AND s.project_id = b.project_id GROUP BY b.id HAVING count(bc.id) <> 4 OR count(s.id) <> 4`,
  },
  // Sprints
  {
    name: 'sprint_count_by_methodology',
    sql: `SELECT p.id FROM projects p LEFT JOIN sprints s ON s.project_id = p.id GROUP BY p.id, p.methodology HAVING (p.methodology = 'scrum' AND count(s.id) NOT BETWEEN 3 AND 8) OR (p.methodology = 'kanban' AND count(s.id) <> 0)`,
    description: 'Scrum projects have 3–8 sprints, kanban projects none.',
  },
  { name: 'sprints_do_not_overlap', sql: `SELECT a.id, b.id AS other FROM sprints a JOIN sprints b ON b.project_id = a.project_id AND b.id <> a.id WHERE a.start_date <= b.end_date AND b.start_date <= a.end_date` },
  {
    name: 'sprints_consecutive',
    sql: `SELECT a.id FROM sprints a JOIN sprints b ON b.project_id = a.project_id AND b.sequence = a.sequence + 1 WHERE b.start_date <> a.end_date + 1`,
    description: 'Each sprint starts the day after the previous one ends.',
  },
  {
    name: 'sprint_state_matches_timeline',
    sql: `SELECT id FROM sprints WHERE state::text <> CASE WHEN end_date < DATE '${REF_DAY}' THEN 'completed' WHEN start_date > DATE '${REF_DAY}' THEN 'planned' ELSE 'active' END OR (state = 'completed') <> (completed_at IS NOT NULL)`,
    description: 'Past sprints are completed, the one containing the reference day is active, later ones planned.',
  },
  {
    name: 'sprints_follow_project_status',
    sql: `SELECT p.id FROM projects p WHERE p.methodology = 'scrum' AND (
      (p.status = 'active' AND (SELECT count(*) FROM sprints s WHERE s.project_id = p.id AND s.state = 'active') <> 1)
      OR (p.status = 'completed' AND EXISTS (SELECT 1 FROM sprints s WHERE s.project_id = p.id AND s.state <> 'completed'))
      OR (p.status = 'planning' AND EXISTS (SELECT 1 FROM sprints s WHERE s.project_id = p.id AND s.state <> 'planned')))`,
    description: 'An active scrum project has exactly one active sprint; completed projects only completed sprints; planning projects only planned ones.',
  },
  { name: 'sprints_within_project_dates', sql: `SELECT s.id FROM sprints s JOIN projects p ON p.id = s.project_id WHERE s.start_date < p.start_date OR (p.end_date IS NOT NULL AND s.end_date > p.end_date)` },
  {
    name: 'project_status_matches_dates',
    sql: `SELECT id FROM projects WHERE (status = 'completed') <> (end_date IS NOT NULL AND completed_at IS NOT NULL) OR (status = 'completed' AND end_date >= DATE '${REF_DAY}') OR (status = 'planning' AND start_date <= DATE '${REF_DAY}') OR (status = 'active' AND start_date > DATE '${REF_DAY}')`,
  },
  // Issues
  { name: 'issue_total_500_to_1000', sql: `SELECT count(*) AS issues FROM issues HAVING count(*) NOT BETWEEN 500 AND 1000` },
  { name: 'issue_sprint_of_same_project', sql: `SELECT i.id FROM issues i JOIN sprints s ON s.id = i.sprint_id WHERE s.project_id <> i.project_id` },
  { name: 'kanban_issues_have_no_sprint', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.methodology = 'kanban' AND i.sprint_id IS NOT NULL` },
  { name: 'issue_type_of_same_project', sql: `SELECT i.id FROM issues i JOIN issue_types t ON t.id = i.issue_type_id WHERE t.project_id <> i.project_id` },
  { name: 'issue_status_of_same_project', sql: `SELECT i.id FROM issues i JOIN workflow_statuses s ON s.id = i.status_id WHERE s.project_id <> i.project_id` },
  { name: 'issue_created_before_updated', sql: `SELECT id FROM issues WHERE created_at > updated_at` },
  {
    name: 'issue_resolved_iff_done',
    sql: `SELECT i.id FROM issues i JOIN workflow_statuses s ON s.id = i.status_id WHERE (s.category = 'done') <> (i.resolved_at IS NOT NULL) OR i.resolved_at < i.created_at`,
  },
  { name: 'completed_project_issues_done', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id JOIN workflow_statuses s ON s.id = i.status_id WHERE p.status = 'completed' AND (s.category <> 'done' OR i.resolved_at > p.completed_at)` },
  {
    name: 'completed_sprint_issues_done',
    sql: `SELECT i.id FROM issues i JOIN sprints sp ON sp.id = i.sprint_id JOIN workflow_statuses s ON s.id = i.status_id WHERE sp.state = 'completed' AND s.category <> 'done'`,
    description: 'Unfinished work never stays in a closed sprint.',
  },
  {
    name: 'issue_resolved_within_sprint',
    sql: `SELECT i.id FROM issues i JOIN sprints sp ON sp.id = i.sprint_id WHERE i.resolved_at IS NOT NULL AND (i.resolved_at < sp.start_date::timestamp AT TIME ZONE 'UTC' OR i.resolved_at >= (sp.end_date + 1)::timestamp AT TIME ZONE 'UTC')`,
  },
  { name: 'issue_created_after_project', sql: `SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE i.created_at < p.created_at` },
  {
    name: 'issue_history_within_six_months',
    sql: `SELECT id FROM issues WHERE created_at < TIMESTAMPTZ '${REF}' - INTERVAL '6 months' OR updated_at > TIMESTAMPTZ '${REF}' OR resolved_at > TIMESTAMPTZ '${REF}'`,
  },
  { name: 'issue_people_are_project_members', sql: `SELECT i.id FROM issues i WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = i.reporter_id) OR (i.assignee_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = i.assignee_id))` },
  {
    name: 'issue_keys_chronological',
    sql: `SELECT a.key, b.key AS next FROM issues a JOIN issues b ON b.project_id = a.project_id AND split_part(b.key, '-', 2)::int = split_part(a.key, '-', 2)::int + 1 WHERE b.created_at < a.created_at`,
    description: 'Issue keys follow creation time within a project (PROJ-1 is the oldest).',
  },
  { name: 'issue_titles_distinct_per_project', sql: `SELECT project_id, title FROM issues GROUP BY project_id, title HAVING count(*) > 1` },
  { name: 'story_titles_use_the_right_article', sql: `SELECT id, title FROM issues WHERE title ~ '^As a [AEIOaeio]' OR title ~ '^As an [^AEIOUaeiou]'` },
  // Comments and links
  {
    name: 'comments_fit_issue_status',
    sql: `SELECT c.id FROM comments c JOIN issues i ON i.id = c.issue_id JOIN workflow_statuses s ON s.id = i.status_id
    WHERE (s.category <> 'done' AND c.body ~* '(deployed|released|verified in production|closing|accepted by|shipped)')
       OR (s.name = 'To Do' AND c.body ~* '(PR is up|review comments|QA is (testing|verifying)|fix for .* is in progress|started on|root cause)')`,
    description: 'Nothing is deployed, released or closed before its issue is done; a To Do issue has no work or review comments.',
  },
  { name: 'comment_by_project_member', sql: `SELECT c.id FROM comments c JOIN issues i ON i.id = c.issue_id WHERE NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = c.author_id)` },
  { name: 'comment_after_issue_created', sql: `SELECT c.id FROM comments c JOIN issues i ON i.id = c.issue_id WHERE c.created_at <= i.created_at OR c.created_at > c.updated_at OR c.updated_at > TIMESTAMPTZ '${REF}'` },
  { name: 'comments_per_issue_1_to_5', sql: `SELECT issue_id FROM comments GROUP BY issue_id HAVING count(*) > 5` },
  { name: 'link_not_to_itself', sql: `SELECT id FROM issue_links WHERE source_issue_id = target_issue_id` },
  { name: 'link_within_project_after_both_issues', sql: `SELECT l.id FROM issue_links l JOIN issues a ON a.id = l.source_issue_id JOIN issues b ON b.id = l.target_issue_id WHERE a.project_id <> b.project_id OR l.created_at < a.created_at OR l.created_at < b.created_at` },
];
