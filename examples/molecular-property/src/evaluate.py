"""Scores models/<model>.pkl on the held-out scaffolds and writes its metric file under results/."""
import sys

model = sys.argv[1]
print(f"evaluate {model}")
