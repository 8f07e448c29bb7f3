#!/usr/bin/env bash
# Rebuilds examples/molecular-property from scratch by running lineage-gate through its history:
# stage 1 (first models) accepted, stage 2 (metabolism retrained) accepted, stage 3 (ds_mol_20210421 update) pending.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ex="$here/examples/molecular-property"
rm -rf "$ex"
mkdir -p "$ex/lineage/datasets" "$ex/lineage/models" "$ex/lineage/workflows" "$ex/results" "$ex/data"
cd "$ex"
lg() { node "$here/bin/lineage-gate.js" "$@"; }
S='# yaml-language-server: $schema=../../../../schemas'

ds() { # id version description creator rows features source
  cat > "lineage/datasets/$1.yaml" <<Y
$S/dataset.schema.json
id: $1
version: "$2"
description: "$3"
meta:
  creator: $4
  rows: $5
  features: $6
  source: $7
  tags: [drug-discovery]
Y
}
ds ds_mol_20210421 3.12_beta "Curated small-molecule structures (SMILES, standardised, salts stripped) shared by every property model." "Chemistry data team" 1843201 2048 "internal compound registry"
ds ds_chembl_act_20210601 29.1 "Bioactivity measurements (IC50/Ki) for kinase targets." "Assay platform" 412880 12 "ChEMBL 29 extract"
ds ds_admet_20210502 1.4 "In-house ADMET assay results: microsomal stability, CYP inhibition, permeability." "DMPK lab" 96310 41 "ELN export"
ds ds_tox21_20210310 2.0 "Tox21 nuclear-receptor and stress-response panels." "Safety pharmacology" 7831 12 "Tox21 challenge"
ds ds_reactions_uspto 2021.03 "Reaction SMILES for retrosynthesis planning." "Synthesis team" 1808938 3 "USPTO grants 1976-2016"
cat > data/solubility.csv.dvc <<'Y'
outs:
- md5: 8f14e45fceea167a5a36dedd4bea2543
  size: 1048576
  hash: md5
  path: solubility.csv
Y
cat > lineage/datasets/ds_solubility.yaml <<Y
$S/dataset.schema.json
id: ds_solubility
dvc: ../../data/solubility.csv.dvc
description: Aqueous solubility (logS) measurements, versioned with DVC.
meta:
  creator: Physchem lab
  rows: 9982
  features: 2
  source: AqSolDB + in-house
  tags: [drug-discovery, dvc]
Y

model() { # id version description metrics-file datasets(yaml flow) gate(yaml flow)
  cat > "lineage/models/$1.yaml" <<Y
$S/model.schema.json
id: $1
version: "$2"
description: "$3"
datasets: $5
metrics: ../../results/$4
gate: $6
Y
}
stage_models() { # ds_mol version, and per-model versions
  local mol=$1
  model mol_activity "$2" "Predicts kinase inhibition (active/inactive at 1 µM) for a candidate molecule; step 1 of property prediction." mol_activity.json "{ds_mol_20210421: \"$mol\", ds_chembl_act_20210601: \"29.1\"}" '["test.auc >= 0.80", "test.auc >= baseline - 0.02"]'
  model mol_physchem "$3" "Regresses aqueous solubility (logS); reports r2 and rmse on a scaffold split." mol_physchem.yaml "{ds_mol_20210421: \"$mol\", ds_solubility: 8f14e45fceea167a5a36dedd4bea2543}" '["r2 >= 0.85", "rmse <= baseline * 1.05"]'
  model mol_toxicity "$5" "Flags likely Tox21 nuclear-receptor activity; used as a safety screen before synthesis." mol_toxicity.json "{ds_mol_20210421: \"$mol\", ds_tox21_20210310: \"2.0\"}" '["test.auc >= 0.85", "test.auc >= baseline - 0.02"]'
  model wf_mol_property_0721 "$6" "Comprehensive screening: combines the five property predictions into a go/no-go call for a molecule." wf_mol_property_0721.csv "{ds_mol_20210421: \"$mol\"}" '["accuracy >= 0.80"]'
}
model mol_metabolism 1.0 "Predicts human liver microsomal stability (stable if t1/2 > 30 min)." mol_metabolism.csv '{ds_admet_20210502: "1.4"}' '["test.auc >= 0.78"]'
model mol_druggability 1.0 "Scores drug-likeness (QED class) to rank hits for follow-up." mol_druggability.yaml '{ds_admet_20210502: "1.4"}' '["qed_acc >= 0.75"]'
model mol_retrosynth 0.9 "Proposes synthesis routes; top-10 accuracy of the first disconnection." mol_retrosynth.json '{ds_reactions_uspto: "2021.03"}' '["top10_acc >= 0.65"]'
stage_models 3.12_beta 1.3 2.0 - 3.2 2.41_alpha

metrics_stage() { # activity_auc physchem_r2 physchem_rmse tox_auc screening_acc
  printf '{\n  "test": {"auc": %s, "precision": 0.71},\n  "train": {"auc": 0.93}\n}\n' "$1" > results/mol_activity.json
  printf 'r2: %s\nrmse: %s\n' "$2" "$3" > results/mol_physchem.yaml
  printf '{\n  "test": {"auc": %s, "f1": 0.64}\n}\n' "$4" > results/mol_toxicity.json
  printf 'accuracy,precision,recall\n%s,0.81,0.79\n' "$5" > results/wf_mol_property_0721.csv
}
metrics_stage 0.86 0.88 0.42 0.91 0.84
printf 'metric,value\ntest.auc,0.80\ntest.f1,0.69\n' > results/mol_metabolism.csv
printf 'qed_acc: 0.78\nqed_f1: 0.74\n' > results/mol_druggability.yaml
printf '{"top10_acc": 0.71, "top1_acc": 0.43}\n' > results/mol_retrosynth.json

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
# Stage 2: metabolism retrained on the same data, better.
sed -i 's/^version: "1.0"$/version: "1.1"/' lineage/models/mol_metabolism.yaml
printf 'metric,value\ntest.auc,0.82\ntest.f1,0.71\n' > results/mol_metabolism.csv
SOURCE_DATE_EPOCH=1626307200 lg accept --root lineage >/dev/null
# Stage 3 (pending): ds_mol_20210421 moves to 3.13 and every model trained on it is retrained.
sed -i 's/^version: "3.12_beta"$/version: "3.13"/' lineage/datasets/ds_mol_20210421.yaml
stage_models 3.13 1.4 2.1 - 3.3 2.42_alpha
metrics_stage 0.87 0.89 0.40 0.86 0.85
echo "example rebuilt in $ex"
