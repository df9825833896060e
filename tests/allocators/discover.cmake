# Included by ctest at start (TEST_INCLUDE_FILES): asks the conformance
# program for every allocator a run can name ("NAME preload|dlopen|-
# LIBRARY|-" per line) and adds its tests:
#   allocators.conformance.NAME     the conformance checks
#   allocators.absent_library.NAME  hidden library => reported unavailable
#   workloads_under_NAME            every workload's quick pass, in-process
#                                   allocators only (a preloaded one cannot
#                                   be loaded into test_workloads)
# and, for each variant the kinds name (--variants: pymalloc:arena=4m ...),
# those two and stress_NAME, the byte-pattern stress run with its in-use
# bytes back where they started.

# The lines `pab-allocator-conformance OPTION` prints, into OUT; when it
# fails, a test that runs it again (and fails, with its message) instead.
function(pab_ask option out)
  execute_process(COMMAND "${PAB_CONFORMANCE}" ${option} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    add_test(allocators.discovery${option} "${PAB_CONFORMANCE}" ${option})
    set(text "")
  endif()
  string(STRIP "${text}" text)
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

pab_ask(--list pab_lines)
foreach(pab_line IN LISTS pab_lines)
  string(REPLACE " " ";" pab_fields "${pab_line}")
  list(GET pab_fields 0 pab_name)
  list(GET pab_fields 1 pab_how)
  list(GET pab_fields 2 pab_library)
  # PAB_DELAY_NS, PAB_STALL_EVERY: the test-only `delayed` and `stalling` allocators need
  # their delay and their stall period; the others ignore them.
  add_test(allocators.conformance.${pab_name} "${PAB_CONFORMANCE}" ${pab_name})
  set_tests_properties(allocators.conformance.${pab_name} PROPERTIES SKIP_RETURN_CODE 77
    ENVIRONMENT "PAB_DELAY_NS=1;PAB_STALL_EVERY=1000")
  if(NOT pab_library STREQUAL "-")
    add_test(allocators.absent_library.${pab_name} sh "${PAB_TESTS_DIR}/absent_library.sh"
      "${PAB_CONFORMANCE}" ${pab_name} ${pab_library} "${PAB_PYALLOCBENCH}")
    set_tests_properties(allocators.absent_library.${pab_name} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
  if(NOT pab_how STREQUAL "preload")
    add_test(workloads_under_${pab_name} "${PAB_TEST_WORKLOADS}" alloc ${pab_name})
    set_tests_properties(workloads_under_${pab_name} PROPERTIES SKIP_RETURN_CODE 77
      ENVIRONMENT "PAB_DELAY_NS=1;PAB_STALL_EVERY=1000")
  endif()
endforeach()

pab_ask(--variants pab_variants)
foreach(pab_name IN LISTS pab_variants)
  add_test(allocators.conformance.${pab_name} "${PAB_CONFORMANCE}" ${pab_name})
  add_test(workloads_under_${pab_name} "${PAB_TEST_WORKLOADS}" alloc ${pab_name})
  add_test(stress_${pab_name} "${PAB_STRESS}" --allocator=${pab_name} --ops=${PAB_STRESS_VARIANT_OPS} --seed=1
    --expect-empty)
endforeach()
