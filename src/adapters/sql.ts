// Every query lineage-gate runs, by name. User data only ever arrives through the Appender or bound parameters.

/** Tables of the association graph (current manifests), the lock, and the metric values read for this run. */
export const CREATE_TABLES = `
CREATE TABLE dataset (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL);
CREATE TABLE model (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, gate_sig VARCHAR NOT NULL, datasets_sig VARCHAR NOT NULL, has_metrics BOOLEAN NOT NULL,
                    missing_baseline VARCHAR NOT NULL);
-- Each model's declared metric file and its blob id (NULL: declared but absent); both NULL when none is declared.
CREATE TABLE model_metric_file (model_id VARCHAR PRIMARY KEY, path VARCHAR, blob VARCHAR);
CREATE TABLE trained_on (model_id VARCHAR NOT NULL, dataset_id VARCHAR NOT NULL, dataset_version VARCHAR NOT NULL);
-- Models stale for a reason the trained-on edges cannot show: a DVC stage ran on an input older than is now produced.
CREATE TABLE model_stale (model_id VARCHAR NOT NULL, reason VARCHAR NOT NULL);
-- Numbers are exact decimals m·10^e (m at most 17 digits: see core/input/decimal.ts), never binary floats.
CREATE TABLE condition (model_id VARCHAR NOT NULL, idx INTEGER NOT NULL, text VARCHAR NOT NULL, metric VARCHAR NOT NULL, op VARCHAR NOT NULL,
                        rhs_kind VARCHAR NOT NULL, arith VARCHAR, pct BOOLEAN NOT NULL, n_m BIGINT NOT NULL, n_e INTEGER NOT NULL);
CREATE TABLE workflow (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, threshold DOUBLE NOT NULL, max_drop DOUBLE);
CREATE TABLE node (workflow_id VARCHAR NOT NULL, node_id VARCHAR NOT NULL, model_id VARCHAR NOT NULL, dataset_id VARCHAR NOT NULL,
                   weight DOUBLE NOT NULL, metric VARCHAR NOT NULL, needs_sig VARCHAR NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE need (workflow_id VARCHAR NOT NULL, node_id VARCHAR NOT NULL, needs_id VARCHAR NOT NULL);

CREATE TABLE lock_dataset (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL);
CREATE TABLE lock_model (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, gate_sig VARCHAR NOT NULL, datasets_sig VARCHAR NOT NULL,
                         metrics_path VARCHAR, metrics_blob VARCHAR);
CREATE TABLE lock_metric (model_id VARCHAR NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL, m BIGINT NOT NULL, e INTEGER NOT NULL,
                          text VARCHAR NOT NULL);
CREATE TABLE lock_workflow (id VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, threshold DOUBLE NOT NULL, max_drop DOUBLE, score DOUBLE NOT NULL);
CREATE TABLE lock_node (workflow_id VARCHAR NOT NULL, node_id VARCHAR NOT NULL, model_id VARCHAR NOT NULL, model_version VARCHAR NOT NULL,
                        dataset_id VARCHAR NOT NULL, dataset_version VARCHAR NOT NULL, weight DOUBLE NOT NULL, metric VARCHAR NOT NULL, needs_sig VARCHAR NOT NULL);

CREATE TABLE metric (model_id VARCHAR NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL, m BIGINT NOT NULL, e INTEGER NOT NULL,
                     text VARCHAR NOT NULL);
CREATE TABLE metric_file (model_id VARCHAR PRIMARY KEY, state VARCHAR NOT NULL);
-- Ids a person asked to re-evaluate (the workflow_dispatch input "only").
CREATE TABLE forced (id VARCHAR NOT NULL);

-- m·10^k as an arbitrary-precision integer (k >= 0): exact at any spread of magnitudes (a p-value of 1e-300 plus
-- 0.01). DuckDB's BIGNUM adds, subtracts and compares exactly; mantissas are at most 17 digits, so products of
-- two fit a HUGEINT before they are shifted.
CREATE MACRO lg_shift(m, k) AS CAST(CAST(m AS VARCHAR) || repeat('0', CAST(k AS INTEGER)) AS BIGNUM);
`;

/**
 * The association graph's edges with the versions in force at both ends, as in the source method's
 * G(ds_mol_20210421, wf_mol_property_0721) = (3.12_beta, 2.41_alpha). Every edge points the way data flows:
 * dataset → model (trained on), model → node (runs), dataset → node (reads), node → node (needs).
 */
export const CREATE_EDGE_VIEW = `
CREATE VIEW edge AS
  SELECT 'trained_on' AS kind, 'dataset' AS src_kind, t.dataset_id AS src, t.dataset_version AS src_version,
         'model' AS dst_kind, t.model_id AS dst, m.version AS dst_version
    FROM trained_on t JOIN model m ON m.id = t.model_id
  UNION ALL
  SELECT 'runs', 'model', n.model_id, m.version, 'node', n.workflow_id || '/' || n.node_id, w.version
    FROM node n JOIN workflow w ON w.id = n.workflow_id JOIN model m ON m.id = n.model_id
  UNION ALL
  SELECT 'reads', 'dataset', n.dataset_id, d.version, 'node', n.workflow_id || '/' || n.node_id, w.version
    FROM node n JOIN workflow w ON w.id = n.workflow_id JOIN dataset d ON d.id = n.dataset_id
  UNION ALL
  SELECT 'needs', 'node', nd.workflow_id || '/' || nd.needs_id, w.version, 'node', nd.workflow_id || '/' || nd.node_id, w.version
    FROM need nd JOIN workflow w ON w.id = nd.workflow_id;
`;

/**
 * Rule 2: changed (new, other version, other gate or trained-on set), metrics changed (at the accepted version,
 * the metric file's bytes or path differ from what was accepted, or none was recorded) or stale (a dataset moved
 * on). $all forces every model.
 */
export const AFFECTED_MODELS = `
CREATE TABLE affected_model AS
WITH s AS (
  SELECT m.id,
         (lm.id IS NULL OR lm.version <> m.version OR lm.gate_sig <> m.gate_sig OR lm.datasets_sig <> m.datasets_sig) AS changed,
         (lm.id IS NOT NULL AND lm.version = m.version
          AND (lm.metrics_path IS DISTINCT FROM f.path OR lm.metrics_blob IS DISTINCT FROM f.blob)) AS metrics_changed,
         EXISTS (SELECT 1 FROM trained_on t JOIN dataset d ON d.id = t.dataset_id
                  WHERE t.model_id = m.id AND d.version <> t.dataset_version)
           OR EXISTS (SELECT 1 FROM model_stale s WHERE s.model_id = m.id) AS stale
    FROM model m LEFT JOIN lock_model lm ON lm.id = m.id LEFT JOIN model_metric_file f ON f.model_id = m.id)
SELECT id, changed, metrics_changed, stale FROM s WHERE changed OR metrics_changed OR stale OR $all OR id IN (SELECT id FROM forced);
`;

/** Rule 4: new, other settings, other node set, or any node pinned to another (dataset, version, model, version). */
export const AFFECTED_WORKFLOWS = `
CREATE TABLE affected_workflow AS
WITH cur AS (
  SELECT n.workflow_id, n.node_id, n.model_id, m.version AS model_version, n.dataset_id, d.version AS dataset_version,
         n.weight, n.metric, n.needs_sig
    FROM node n JOIN model m ON m.id = n.model_id JOIN dataset d ON d.id = n.dataset_id),
diff AS (
  SELECT DISTINCT coalesce(c.workflow_id, l.workflow_id) AS workflow_id
    FROM cur c FULL OUTER JOIN lock_node l ON l.workflow_id = c.workflow_id AND l.node_id = c.node_id
   WHERE c.node_id IS NULL OR l.node_id IS NULL
      OR c.model_id <> l.model_id OR c.model_version <> l.model_version
      OR c.dataset_id <> l.dataset_id OR c.dataset_version <> l.dataset_version
      OR c.weight <> l.weight OR c.metric <> l.metric OR c.needs_sig <> l.needs_sig)
SELECT w.id
  FROM workflow w LEFT JOIN lock_workflow lw ON lw.id = w.id
 WHERE $all OR w.id IN (SELECT id FROM forced) OR lw.id IS NULL OR lw.version <> w.version OR lw.threshold <> w.threshold
    OR lw.max_drop IS DISTINCT FROM w.max_drop
    OR w.id IN (SELECT workflow_id FROM diff)
    -- A model whose scores changed at the same version: the workflows it feeds are scored again.
    OR w.id IN (SELECT n.workflow_id FROM node n JOIN affected_model a ON a.id = n.model_id WHERE a.metrics_changed);
`;

/** Models whose metric files this run must read: the affected ones and those that affected workflows run. */
export const MODELS_NEEDING_METRICS = `
SELECT id FROM affected_model
UNION
SELECT n.model_id FROM node n JOIN affected_workflow a ON a.id = n.workflow_id
ORDER BY 1;
`;

/**
 * Rule 3: each condition of each affected model with expected and actual values, in exact decimal arithmetic.
 * The right-hand side is the sum of two terms m·10^e: `baseline + n` is b + n, `baseline + n%` is b + |b|·n·10^-2,
 * `baseline * n` is b·n (refused for b <= 0, where it moves the bound the wrong way).
 */
export const CONDITION_RESULTS = `
CREATE TABLE condition_result AS
WITH c AS (
  SELECT c.*, md.missing_baseline, mv.m AS a_m, mv.e AS a_e, mv.text AS actual_text, mv.value AS actual, b.m AS b_m, b.e AS b_e,
         (c.rhs_kind = 'baseline' AND b.m IS NULL) AS no_baseline
    FROM condition c
    JOIN affected_model a ON a.id = c.model_id
    JOIN model md ON md.id = c.model_id
    LEFT JOIN lock_metric b ON b.model_id = c.model_id AND b.metric = c.metric
    LEFT JOIN metric mv ON mv.model_id = c.model_id AND mv.metric = c.metric),
t AS (
  SELECT *,
         CASE WHEN rhs_kind = 'number' THEN CAST(n_m AS HUGEINT)
              WHEN arith = '*' THEN CAST(b_m AS HUGEINT) * n_m
              ELSE CAST(b_m AS HUGEINT) END AS t1_m,
         CASE WHEN rhs_kind = 'number' THEN n_e WHEN arith = '*' THEN b_e + n_e ELSE b_e END AS t1_e,
         CASE WHEN rhs_kind = 'number' OR arith IS NULL OR arith = '*' THEN CAST(0 AS HUGEINT)
              WHEN pct THEN abs(CAST(b_m AS HUGEINT)) * n_m * (CASE arith WHEN '-' THEN -1 ELSE 1 END)
              ELSE CAST(n_m AS HUGEINT) * (CASE arith WHEN '-' THEN -1 ELSE 1 END) END AS t2_m,
         CASE WHEN rhs_kind = 'number' OR arith IS NULL OR arith = '*' THEN n_e
              WHEN pct THEN b_e + n_e - 2
              ELSE n_e END AS t2_e,
         (arith = '*' AND b_m IS NOT NULL AND b_m <= 0) AS bad_product
    FROM c),
x AS (
  SELECT *, least(t1_e, t2_e) AS exp_e, least(t1_e, t2_e, a_e) AS low_e FROM t),
d AS (
  SELECT *,
         lg_shift(t1_m, t1_e - exp_e) + lg_shift(t2_m, t2_e - exp_e) AS exp_m,
         lg_shift(a_m, a_e - low_e) - (lg_shift(t1_m, t1_e - low_e) + lg_shift(t2_m, t2_e - low_e)) AS diff
    FROM x)
SELECT model_id, idx, text, metric, op, CAST(exp_m AS VARCHAR) AS expected_m, exp_e AS expected_e, actual, actual_text,
       no_baseline, coalesce(bad_product, false) AS bad_product, missing_baseline,
       CASE WHEN a_m IS NULL THEN 'fail'
            WHEN no_baseline AND missing_baseline = 'fail' THEN 'fail'
            WHEN no_baseline THEN 'skipped'
            WHEN bad_product THEN 'fail'
            WHEN CASE op WHEN '>=' THEN diff >= CAST(0 AS BIGNUM) WHEN '>' THEN diff > CAST(0 AS BIGNUM)
                         WHEN '<=' THEN diff <= CAST(0 AS BIGNUM) WHEN '<' THEN diff < CAST(0 AS BIGNUM)
                         WHEN '==' THEN diff = CAST(0 AS BIGNUM) ELSE diff <> CAST(0 AS BIGNUM) END
            THEN 'pass' ELSE 'fail' END AS result
  FROM d;
`;

/** Gate 1 per affected model. */
export const MODEL_RESULTS = `
CREATE TABLE model_result AS
SELECT a.id, a.changed, a.metrics_changed, a.stale, coalesce(f.state, 'unread') AS metric_file,
       (SELECT count(*) FROM condition_result r WHERE r.model_id = a.id AND r.result = 'fail') AS failed_conditions,
       CASE WHEN a.stale OR coalesce(f.state, 'unread') = 'missing'
                 OR EXISTS (SELECT 1 FROM condition_result r WHERE r.model_id = a.id AND r.result = 'fail')
            THEN 'fail' ELSE 'pass' END AS status
  FROM affected_model a LEFT JOIN metric_file f ON f.model_id = a.id;
`;

/** Rule 5: node scores, the weighted score, and each node's contribution and headroom. Sums go through ordered lists so the result does not depend on thread scheduling. */
export const WORKFLOW_RESULTS = `
CREATE TABLE node_result AS
SELECT n.workflow_id, n.node_id, n.ord, n.weight, mv.value AS score
  FROM node n JOIN affected_workflow a ON a.id = n.workflow_id
  LEFT JOIN metric mv ON mv.model_id = n.model_id AND mv.metric = n.metric;

CREATE TABLE workflow_result AS
WITH agg AS (
  SELECT workflow_id,
         list_sum(list(weight ORDER BY ord)) AS wsum,
         CASE WHEN count(score) = count(*) THEN list_sum(list(weight * score ORDER BY ord)) END AS wscore,
         count(*) - count(score) AS missing_scores
    FROM node_result GROUP BY workflow_id),
bad_models AS (
  SELECT DISTINCT n.workflow_id, n.model_id FROM node n JOIN model_result r ON r.id = n.model_id WHERE r.status = 'fail'),
s AS (
  SELECT w.id, w.threshold, w.max_drop, lw.score AS accepted_score, agg.wsum, agg.missing_scores,
         agg.wscore / agg.wsum AS score,
         CASE WHEN w.max_drop IS NOT NULL AND lw.score IS NOT NULL
              THEN greatest(w.threshold, lw.score - w.max_drop) ELSE w.threshold END AS floor_score,
         (SELECT list(b.model_id ORDER BY b.model_id) FROM bad_models b WHERE b.workflow_id = w.id) AS failed_models
    FROM workflow w JOIN affected_workflow a ON a.id = w.id
    JOIN agg ON agg.workflow_id = w.id
    LEFT JOIN lock_workflow lw ON lw.id = w.id),
-- Each reason a workflow fails, as a flag, so the report explains exactly what SQL decided.
r AS (
  SELECT *,
         coalesce(score < threshold, false) AS below_threshold,
         coalesce(max_drop IS NOT NULL AND accepted_score IS NOT NULL AND score < accepted_score - max_drop, false) AS dropped_too_far
    FROM s)
SELECT *,
       CASE WHEN coalesce(len(failed_models), 0) = 0 AND missing_scores = 0 AND NOT below_threshold AND NOT dropped_too_far
            THEN 'pass' ELSE 'fail' END AS status
  FROM r;
`;

export const SELECT_CONDITIONS = `
SELECT model_id, idx, text, metric, op, expected_m, expected_e, actual, actual_text, no_baseline, bad_product, missing_baseline, result
  FROM condition_result ORDER BY model_id, idx`;
export const SELECT_MODELS = `SELECT id, changed, metrics_changed, stale, metric_file, status FROM model_result ORDER BY id`;
export const SELECT_STALE_EDGES = `
SELECT t.model_id, t.dataset_id, t.dataset_version AS trained_on, d.version AS current
  FROM trained_on t JOIN dataset d ON d.id = t.dataset_id JOIN affected_model a ON a.id = t.model_id
 WHERE d.version <> t.dataset_version ORDER BY 1, 2`;
export const SELECT_WORKFLOWS = `
SELECT id, score, accepted_score, floor_score, wsum, missing_scores, failed_models, below_threshold, dropped_too_far, status FROM workflow_result ORDER BY id`;
export const SELECT_NODES = `
SELECT r.workflow_id, r.node_id, r.weight, r.score,
       r.weight * r.score / w.wsum AS contribution,
       CASE WHEN r.weight > 0 AND w.score IS NOT NULL THEN (w.score - w.floor_score) * w.wsum / r.weight END AS headroom
  FROM node_result r JOIN workflow_result w ON w.id = r.workflow_id ORDER BY r.workflow_id, r.ord`;

export const SELECT_EDGES = `SELECT kind, src_kind, src, src_version, dst_kind, dst, dst_version FROM edge ORDER BY kind, src, dst`;

/**
 * The whole retrain plan starts from models that are stale (a dataset they were trained on moved) or changed since
 * they were accepted, and from nodes whose pins differ from what the lock accepted (another model or dataset version,
 * or a node not accepted yet): each of those nodes must be scored again.
 */
export const PLAN_SEEDS = `
CREATE OR REPLACE TABLE plan_model AS
SELECT m.id, m.version,
       EXISTS (SELECT 1 FROM trained_on t JOIN dataset d ON d.id = t.dataset_id
                WHERE t.model_id = m.id AND d.version <> t.dataset_version)
         OR EXISTS (SELECT 1 FROM model_stale s WHERE s.model_id = m.id) AS stale
  FROM model m
 WHERE m.id IN (SELECT id FROM affected_model WHERE stale OR changed);

CREATE OR REPLACE TABLE plan_direct AS
SELECT n.workflow_id, n.node_id
  FROM node n JOIN model m ON m.id = n.model_id JOIN dataset d ON d.id = n.dataset_id
  LEFT JOIN lock_node l ON l.workflow_id = n.workflow_id AND l.node_id = n.node_id
 WHERE n.model_id IN (SELECT id FROM plan_model)
    OR l.node_id IS NULL OR l.model_id <> n.model_id OR l.model_version <> m.version
    OR l.dataset_id <> n.dataset_id OR l.dataset_version <> d.version;
`;

/** `impact ID` starts from ID alone: the model ID, or every model trained on the dataset ID and every node that reads it. */
export const PLAN_SEED_MODELS_OF = `
CREATE OR REPLACE TABLE plan_model AS
SELECT m.id, m.version,
       EXISTS (SELECT 1 FROM trained_on t JOIN dataset d ON d.id = t.dataset_id
                WHERE t.model_id = m.id AND d.version <> t.dataset_version)
         OR EXISTS (SELECT 1 FROM model_stale s WHERE s.model_id = m.id) AS stale
  FROM model m
 WHERE m.id = $id OR m.id IN (SELECT model_id FROM trained_on WHERE dataset_id = $id)`;
export const PLAN_SEED_NODES_OF = `
CREATE OR REPLACE TABLE plan_direct AS
SELECT workflow_id, node_id FROM node WHERE dataset_id = $id OR model_id IN (SELECT id FROM plan_model)`;

/** From the seeds, every node that runs a seed model or was seeded itself, then the nodes that need those, transitively. */
export const PLAN_REACH = `
CREATE OR REPLACE TABLE plan_node AS
WITH RECURSIVE
reach(workflow_id, node_id) AS (
  SELECT workflow_id, node_id FROM plan_direct
  UNION
  SELECT nd.workflow_id, nd.node_id FROM need nd JOIN reach r ON r.workflow_id = nd.workflow_id AND r.node_id = nd.needs_id)
SELECT workflow_id, node_id FROM reach;
`;

export const SELECT_PLAN_MODELS = `SELECT id, version, stale FROM plan_model ORDER BY id`;
export const SELECT_PLAN_TRAINED_ON = `
SELECT t.model_id, t.dataset_id, t.dataset_version AS trained_on, d.version AS current
  FROM trained_on t JOIN dataset d ON d.id = t.dataset_id
 WHERE t.model_id IN (SELECT id FROM plan_model) ORDER BY 1, 2`;
export const SELECT_PLAN_NODES = `
SELECT p.workflow_id, w.version AS workflow_version, p.node_id, n.model_id, m.version AS model_version,
       n.dataset_id, d.version AS dataset_version
  FROM plan_node p JOIN node n ON n.workflow_id = p.workflow_id AND n.node_id = p.node_id
  JOIN workflow w ON w.id = p.workflow_id JOIN model m ON m.id = n.model_id JOIN dataset d ON d.id = n.dataset_id
 ORDER BY p.workflow_id, n.ord`;
