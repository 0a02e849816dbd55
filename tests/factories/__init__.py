"""Factories, one module per app. Children always belong to their parent's township."""
