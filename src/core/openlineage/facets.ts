// The OpenLineage 2-0-2 shapes lineage-gate emits, and the published schema URL of every facet it uses.
// Standard facets keep their spec names; lineage-gate's own facets are prefixed (lineageGate_*) as the spec asks.

export const SPEC_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** Where each facet's schema is published: the spec's own for standard facets, ours for custom ones. */
export const FACET_SCHEMA = {
  version: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
  documentation: 'https://openlineage.io/spec/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  jobDocumentation: 'https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet',
  dataQualityAssertions:
    'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
  test: 'https://openlineage.io/spec/facets/1-0-1/TestRunFacet.json#/$defs/TestRunFacet',
  parent: 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet',
  gate: 'https://lineage-gate.dev/schemas/openlineage-event.schema.json#/$defs/GateRunFacet',
  workflowScore: 'https://lineage-gate.dev/schemas/openlineage-event.schema.json#/$defs/WorkflowScoreRunFacet',
  node: 'https://lineage-gate.dev/schemas/openlineage-event.schema.json#/$defs/NodeRunFacet',
} as const;

/** The job type facet's integration name, and the job types lineage-gate's runs have. */
export const INTEGRATION = 'LINEAGE_GATE';
export type JobType = 'DATASET_VERSION' | 'MODEL_TRAINING' | 'TEST' | 'WORKFLOW' | 'TASK';

export interface Facet {
  _producer: string;
  _schemaURL: string;
  [field: string]: unknown;
}

export interface DatasetRef {
  namespace: string;
  name: string;
}

export interface EventDataset extends DatasetRef {
  facets?: Record<string, Facet>;
  inputFacets?: Record<string, Facet>;
}

export interface RunEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  eventType: 'COMPLETE' | 'FAIL';
  run: { runId: string; facets?: Record<string, Facet> };
  job: { namespace: string; name: string; facets: Record<string, Facet> };
  inputs: EventDataset[];
  outputs: EventDataset[];
}

export function facet(producer: string, schemaURL: string, body: Record<string, unknown>): Facet {
  return { _producer: producer, _schemaURL: schemaURL, ...body };
}
