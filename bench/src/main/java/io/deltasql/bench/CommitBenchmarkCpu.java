package io.deltasql.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent during one measurement of {@link CommitBenchmark}, in ms: by the writer
 * threads ({@code commit-writer-*}, {@code raw-writer-*}), by the mirror workers
 * ({@code deltasql-mirror-*}; of it, the checkpoint lane's thread {@code deltasql-mirror-checkpoint-*}
 * also on its own), by the whole JVM, and by the PostgreSQL server's processes on
 * this machine (every process named {@code postgres}, so also other users' work; 0 when
 * {@code /proc} cannot be read). Divided by the commits measured, these say where a commit's
 * CPU goes, a figure that the load of a shared machine moves much less than commits/s.
 *
 * <p>Threads that end during the measurement are not counted (the benchmark's threads live
 * through it; the mirror workers idle out only after 30 s without work).
 */
record CommitBenchmarkCpu(double writersMs, double mirrorMs, double checkpointMs, double jvmMs, double postgresMs) {
  static final CommitBenchmarkCpu NONE = new CommitBenchmarkCpu(0, 0, 0, 0, 0);
  /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every platform it supports here. */
  private static final double MS_PER_TICK = 10;

  /** Per commit, in µs, as "writers / mirror / JVM / PostgreSQL". */
  String perCommit(long commits) {
    if (commits == 0 || this == NONE) {
      return "";
    }
    double us = 1000.0 / commits;
    return String.format(java.util.Locale.ROOT, "%.0f / %.0f / %.0f / %.0f", writersMs * us, mirrorMs * us,
        jvmMs * us, postgresMs * us);
  }

  /** The checkpoint lane's part of the mirror's CPU per commit, in µs. */
  String checkpointPerCommit(long commits) {
    if (commits == 0 || this == NONE) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, "%.0f", checkpointMs * 1000.0 / commits);
  }

  /** CPU counters at one instant. */
  static final class Clock {
    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> threadNames;
    private final long jvmNanos;
    private final Map<Long, Long> postgresTicks;

    private Clock(Map<Long, Long> threadNanos, Map<Long, String> threadNames, long jvmNanos,
        Map<Long, Long> postgresTicks) {
      this.threadNanos = threadNanos;
      this.threadNames = threadNames;
      this.jvmNanos = jvmNanos;
      this.postgresTicks = postgresTicks;
    }

    static Clock now() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> nanos = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null) {
          long cpu = threads.getThreadCpuTime(info.getThreadId());
          if (cpu >= 0) {
            nanos.put(info.getThreadId(), cpu);
            names.put(info.getThreadId(), info.getThreadName());
          }
        }
      }
      long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      return new Clock(nanos, names, jvm, postgresTicks());
    }

    /** The CPU spent from this instant to now. */
    CommitBenchmarkCpu since() {
      Clock end = now();
      double writers = 0;
      double mirror = 0;
      double checkpoint = 0;
      for (Map.Entry<Long, Long> e : end.threadNanos.entrySet()) {
        String name = end.threadNames.get(e.getKey());
        double ms = (e.getValue() - threadNanos.getOrDefault(e.getKey(), 0L)) / 1e6;
        if (name.startsWith("commit-writer-") || name.startsWith("raw-writer-")) {
          writers += ms;
        } else if (name.startsWith("deltasql-mirror-")) {
          mirror += ms;
          if (name.startsWith("deltasql-mirror-checkpoint-")) {
            checkpoint += ms;
          }
        }
      }
      long postgres = 0;
      for (Map.Entry<Long, Long> e : end.postgresTicks.entrySet()) {
        postgres += e.getValue() - postgresTicks.getOrDefault(e.getKey(), 0L);
      }
      return new CommitBenchmarkCpu(writers, mirror, checkpoint, (end.jvmNanos - jvmNanos) / 1e6, postgres * MS_PER_TICK);
    }

    /**
     * utime + stime of every process named postgres, in clock ticks, by process id (a process
     * that ends before the measurement does is left out; one that starts during it counts whole).
     */
    private static Map<Long, Long> postgresTicks() {
      Map<Long, Long> ticks = new HashMap<>();
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
          long t = postgresTicksOf(p);
          if (t > 0) {
            ticks.put(Long.parseLong(p.getFileName().toString()), t);
          }
        });
      } catch (IOException | RuntimeException e) {
        // no /proc: no PostgreSQL figure
      }
      return ticks;
    }

    /** utime + stime, in clock ticks, of the process at {@code proc} ({@code /proc/<pid>}) if postgres, else 0. */
    static long postgresTicksOf(Path proc) {
      try {
        String stat = Files.readString(proc.resolve("stat"));
        int close = stat.lastIndexOf(')');
        if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
          return 0;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
      } catch (IOException | RuntimeException e) {
        return 0; // the process ended meanwhile
      }
    }
  }
}
