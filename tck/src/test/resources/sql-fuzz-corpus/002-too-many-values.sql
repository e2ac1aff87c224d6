# Seed (bad-input corpus, sql/too-many-values): Calcite's validator threw IndexOutOfBoundsException
# (XX000) for a VALUES row wider than the table. Now 42601.
insert into f3 values (1, 'a', 'extra')
----
insert into f3 values (1, 'a'), (2, 'b', 'c')
