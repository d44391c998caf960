-- PostgreSQL only (GIN pending lists and expression statistics): SQLite's FTS5 tables have no
-- pending list, and its planner needs no statistics for the constraint-id filter. Kept so that both
-- migration histories stay in step.
SELECT 1;
