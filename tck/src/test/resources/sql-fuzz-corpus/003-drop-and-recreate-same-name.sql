# From a SqlFuzzSlowTest run (250 random scripts on H2, 2026-12-02): after some script had dropped
# f1 and another created f1 again, every later statement of that connection, even
# SELECT COUNT(*) FROM sys.history, failed with 'Version 1 of table default.f1 does not exist: the
# latest version is 0' (a version of the dropped table asked of the new one). The scripts that ran
# before the first failure were not kept (the slow test keeps them now), and this reduction by
# hand PASSES: it guards the plain drop-and-recreate path, not the failure, which is still open.
drop table f1
----
create table f1 (q int)
----
insert into f1 values (1)
----
select count(*) from f1
----
select count(*) from sys.history
