"""Trains one property model on features/<model> into models/<model>.pkl."""
import sys

model = sys.argv[1]
print(f"train {model}")
