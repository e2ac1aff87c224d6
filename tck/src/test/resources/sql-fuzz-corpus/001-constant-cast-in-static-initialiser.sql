# Seed (bad-input corpus, sql/string-into-date): Calcite hoists the constant CAST('yesterday' AS
# DATE) into a generated class's static initialiser; it failed as ExceptionInInitializerError
# (an Error, no SQLState). Now 22007.
insert into f1 (id, d) values (5, 'yesterday')
----
select cast('not a time' as timestamp) from f3
----
select count(*) from f1
