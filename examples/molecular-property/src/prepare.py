"""Featurises the raw datasets a model needs (Morgan fingerprints, scaffold split) into features/<model>."""
import sys

model = sys.argv[1]
print(f"prepare {model}")
