/*
 * list.h: every workload, one line each, in the order --list shows them and
 * a default run measures them. PAB_WORKLOAD(name) stands for the constant
 * `pab_<name>` that a file of workloads/ defines. The build compiles every
 * .c of this folder, so that file and this line are all a workload takes.
 * A workload measured several ways (the two sides of a piece of advice) is
 * one file with one constant per way, named KIND/WAY (pab_KIND_WAY here).
 */
PAB_WORKLOAD(small_objects)
PAB_WORKLOAD(string_concat_inplace)
PAB_WORKLOAD(string_concat_copy)
PAB_WORKLOAD(string_concat_join)
PAB_WORKLOAD(generator)
PAB_WORKLOAD(list)
PAB_WORKLOAD(slots_vs_dict_slots)
PAB_WORKLOAD(slots_vs_dict_dict)
PAB_WORKLOAD(dict_growth)
PAB_WORKLOAD(fragmentation)
PAB_WORKLOAD(cycles_collector)
PAB_WORKLOAD(cycles_weakref)
PAB_WORKLOAD(trace_replay)
PAB_WORKLOAD(trace)
PAB_WORKLOAD(threads_churn)
PAB_WORKLOAD(threads_handoff)
PAB_WORKLOAD(threads_shared)
