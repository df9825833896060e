# Turns python311.trace into python311_trace.inc, one C initializer a
# line ({'m', 0, SIZE}, {'r', ID, SIZE}, {'f', ID, 0}), which trace_replay.c
# includes: the trace is in the binary and nothing reads a file at run time.
# Plain CMake, no tool beyond the compiler; editing the trace reconfigures.
set(pab_trace_file ${CMAKE_CURRENT_LIST_DIR}/python311.trace)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${pab_trace_file})
file(READ ${pab_trace_file} pab_trace)
string(REGEX REPLACE "r ([0-9]+) ([0-9]+)" "{'r', \\1, \\2}," pab_trace "${pab_trace}")
string(REGEX REPLACE "m ([0-9]+)" "{'m', 0, \\1}," pab_trace "${pab_trace}")
string(REGEX REPLACE "f ([0-9]+)" "{'f', \\1, 0}," pab_trace "${pab_trace}")
# Whatever is left once every initializer line is taken away is malformed.
string(REGEX REPLACE "{'[mrf]', [0-9]+, [0-9]+},\n" "" pab_trace_rest "${pab_trace}")
if(NOT pab_trace_rest STREQUAL "")
  message(FATAL_ERROR "${pab_trace_file}: a line is not 'm SIZE', 'r ID SIZE' or 'f ID'")
endif()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/python311_trace.inc CONTENT "${pab_trace}" @ONLY)
target_include_directories(pab_workloads PRIVATE ${CMAKE_CURRENT_BINARY_DIR})
