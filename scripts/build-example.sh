#!/usr/bin/env bash
# Rebuilds examples/molecular-property, a DVC project, from scratch by running lineage-gate through its history:
# stage 1 (first models) accepted, stage 2 (metabolism retrained) accepted, stage 3 (ds_mol_20210421 update) pending.
# scripts/example-dvc.ts writes the DVC files as `dvc add` and `dvc repro` would at each stage.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ex="$here/examples/molecular-property"
rm -rf "$ex"
mkdir -p "$ex/lineage/datasets" "$ex/lineage/models" "$ex/lineage/workflows" "$ex/results" "$ex/data"
cd "$ex"
lg() { node "$here/bin/lineage-gate.js" "$@"; }
S='# yaml-language-server: $schema=../../../../schemas'

ds() { # id .dvc-file release description creator rows features source
  cat > "lineage/datasets/$1.yaml" <<Y
$S/dataset.schema.json
id: $1
dvc: ../../data/$2.dvc
description: "$4"
meta:
  release: "$3"
  creator: $5
  rows: $6
  features: $7
  source: $8
  tags: [drug-discovery]
Y
}
ds ds_mol_20210421 mol_20210421.csv 3.12_beta "Curated small-molecule structures (SMILES, standardised, salts stripped) shared by every property model." "Chemistry data team" 1843201 2048 "internal compound registry"
ds ds_chembl_act_20210601 chembl_act_20210601.csv 29.1 "Bioactivity measurements (IC50/Ki) for kinase targets." "Assay platform" 412880 12 "ChEMBL 29 extract"
ds ds_admet_20210502 admet_20210502.csv 1.4 "In-house ADMET assay results: microsomal stability, CYP inhibition, permeability." "DMPK lab" 96310 41 "ELN export"
ds ds_tox21_20210310 tox21_20210310.csv 2.0 "Tox21 nuclear-receptor and stress-response panels." "Safety pharmacology" 7831 12 "Tox21 challenge"
ds ds_solubility solubility.csv 2021.1 "Aqueous solubility (logS) measurements." "Physchem lab" 9982 2 "AqSolDB + in-house"
# One dataset outside DVC, versioned by hand: the reaction corpus is a licensed external snapshot.
cat > lineage/datasets/ds_reactions_uspto.yaml <<Y
$S/dataset.schema.json
id: ds_reactions_uspto
version: "2021.03"
description: "Reaction SMILES for retrosynthesis planning; an external snapshot, versioned by hand."
meta:
  creator: Synthesis team
  rows: 1808938
  features: 3
  source: USPTO grants 1976-2016
  tags: [drug-discovery]
Y

model() { # id dvc-stage description gate(yaml flow)
  cat > "lineage/models/$1.yaml" <<Y
$S/model.schema.json
id: $1
description: "$3"
dvc: { lock: ../../dvc.lock, stage: $2 }
gate: $4
Y
}
model mol_activity train_activity "Predicts kinase inhibition (active/inactive at 1 µM) for a candidate molecule; step 1 of property prediction." '["test.auc >= 0.80", "test.auc >= baseline - 0.02"]'
model mol_physchem train_physchem "Regresses aqueous solubility (logS); reports r2 and rmse on a scaffold split." '["r2 >= 0.85", "rmse <= baseline * 1.05"]'
model mol_toxicity train_toxicity "Flags likely Tox21 nuclear-receptor activity; used as a safety screen before synthesis." '["test.auc >= 0.85", "test.auc >= baseline - 0.02"]'
model wf_mol_property_0721 train_screening "Comprehensive screening: combines the five property predictions into a go/no-go call for a molecule." '["accuracy >= 0.80"]'
model mol_metabolism train_metabolism "Predicts human liver microsomal stability (stable if t1/2 > 30 min)." '["test.auc >= 0.78"]'
model mol_druggability train_druggability "Scores drug-likeness (QED class) to rank hits for follow-up." '["qed_acc >= 0.75"]'
# One model outside the pipeline, versioned by hand: it is trained by the synthesis team's own tooling.
cat > lineage/models/mol_retrosynth.yaml <<Y
$S/model.schema.json
id: mol_retrosynth
version: "0.9"
description: "Proposes synthesis routes; top-10 accuracy of the first disconnection. Trained outside the DVC pipeline."
datasets: {ds_reactions_uspto: "2021.03"}
metrics: ../../results/mol_retrosynth.json
gate: ["top10_acc >= 0.65"]
Y
printf '{"top10_acc": 0.71, "top1_acc": 0.43}\n' > results/mol_retrosynth.json
node "$here/scripts/example-dvc.ts" . 1

cat > lineage/workflows/wf_property_prediction.yaml <<Y
$S/workflow.schema.json
id: wf_property_prediction
version: "1.2"
description: Six-step molecular property prediction; the final comprehensive screening needs the other five.
threshold: 0.80
max_drop: 0.03
nodes:
  - { id: activity,     model: mol_activity,         dataset: ds_chembl_act_20210601, weight: 0.10, metric: test.auc }
  - { id: physchem,     model: mol_physchem,         dataset: ds_solubility,          weight: 0.20, metric: r2 }
  - { id: metabolism,   model: mol_metabolism,       dataset: ds_admet_20210502,      weight: 0.20, metric: test.auc }
  - { id: toxicity,     model: mol_toxicity,         dataset: ds_tox21_20210310,      weight: 0.25, metric: test.auc }
  - { id: druggability, model: mol_druggability,     dataset: ds_admet_20210502,      weight: 0.15, metric: qed_acc }
  - id: screening
    model: wf_mol_property_0721
    dataset: ds_mol_20210421
    weight: 0.10
    metric: accuracy
    needs: [activity, physchem, metabolism, toxicity, druggability]
Y
cat > lineage/workflows/wf_lead_optimization.yaml <<Y
$S/workflow.schema.json
id: wf_lead_optimization
version: "0.4"
description: Lead optimisation loop; checks metabolism and solubility, then plans a synthesis route.
threshold: 0.75
nodes:
  - { id: admet_screen, model: mol_metabolism, dataset: ds_admet_20210502, weight: 1, metric: test.auc }
  - { id: solubility,   model: mol_physchem,   dataset: ds_solubility,     weight: 1, metric: r2, needs: [admet_screen] }
  - { id: route,        model: mol_retrosynth, dataset: ds_reactions_uspto, weight: 1, metric: top10_acc, needs: [solubility] }
Y

# Stage 1: first acceptance.
SOURCE_DATE_EPOCH=1625097600 lg accept --root lineage >/dev/null
# Stage 2: metabolism retrained on the same data with more trees (params.yaml), better; dvc repro.
node "$here/scripts/example-dvc.ts" . 2
SOURCE_DATE_EPOCH=1626307200 lg accept --root lineage >/dev/null
# Stage 3 (pending): ds_mol_20210421 moves to 3.13 (dvc add), and dvc repro retrains every model trained on it.
sed -i 's/^  release: "3.12_beta"$/  release: "3.13"/' lineage/datasets/ds_mol_20210421.yaml
node "$here/scripts/example-dvc.ts" . 3
echo "example rebuilt in $ex"

# The second example: a plain repository with no DVC, every version written by hand.
plain="$here/examples/plain-repository"
rm -rf "$plain"
mkdir -p "$plain/lineage/datasets" "$plain/lineage/models" "$plain/lineage/workflows" "$plain/results"
cd "$plain"
cat > lineage/datasets/ds_customers.yaml <<Y
$S/dataset.schema.json
id: ds_customers
version: "2024-05"
description: Customer master data, one row per account; exported monthly.
meta: { creator: CRM team, rows: 120400 }
Y
cat > lineage/datasets/ds_events.yaml <<Y
$S/dataset.schema.json
id: ds_events
version: "v12"
description: Product usage events aggregated per account and week.
meta: { creator: Data platform, rows: 8812004 }
Y
plain_models() { # events-version churn-version ltv-version
  cat > lineage/models/churn.yaml <<Y
$S/model.schema.json
id: churn
version: "$2"
description: Predicts which accounts cancel within 90 days, for the retention team's call list.
datasets: { ds_customers: "2024-05", ds_events: "$1" }
metrics: ../../results/churn.json
gate: ["auc >= 0.75", "auc >= baseline - 1%"]
Y
  cat > lineage/models/ltv.yaml <<Y
$S/model.schema.json
id: ltv
version: "$3"
description: Estimates twelve-month revenue per account (regression).
datasets: { ds_customers: "2024-05", ds_events: "$1" }
metrics: ../../results/ltv.csv
gate: ["r2 >= 0.6", "rmse <= baseline + 5%"]
on_missing_baseline: skip
Y
}
cat > lineage/workflows/wf_retention.yaml <<Y
$S/workflow.schema.json
id: wf_retention
version: "1"
description: Ranks accounts for outreach by churn risk weighted with expected value.
threshold: 0.7
nodes:
  - { id: risk, model: churn, dataset: ds_events, weight: 2, metric: auc }
  - { id: value, model: ltv, dataset: ds_customers, weight: 1, metric: r2, needs: [risk] }
Y
plain_models v12 1.0 1.0
printf '{"auc": 0.81, "f1": 0.55}\n' > results/churn.json
printf 'metric,value\nr2,0.66\nrmse,412.5\n' > results/ltv.csv
SOURCE_DATE_EPOCH=1714521600 lg accept --root lineage >/dev/null
# Pending: ds_events moves to v13 and both models are retrained on it.
sed -i 's/^version: "v12"$/version: "v13"/' lineage/datasets/ds_events.yaml
plain_models v13 1.1 1.1
printf '{"auc": 0.8019, "f1": 0.56}\n' > results/churn.json
printf 'metric,value\nr2,0.68\nrmse,433.125\n' > results/ltv.csv
echo "example rebuilt in $plain"
