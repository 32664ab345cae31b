"""History of every change to every domain model, written by PostgreSQL triggers."""
