# Embeds SQL files as raw string literals in a generated header, so crmd carries its own schema
# and named queries and never reads them from disk at run time.
#   crmd_embed_sql(OUTPUT <header> NAMESPACE <ns> VARIABLE <name> FILES <f>...)
# The header defines `inline constexpr embedded_sql <name>[]` of {file stem, text} in file order.
function(crmd_embed_sql)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE;VARIABLE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE}
            -DVARIABLE=${ARG_VARIABLE} "-DFILES=${ARG_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_sql_script.cmake"
    DEPENDS ${ARG_FILES} "${PROJECT_SOURCE_DIR}/cmake/embed_sql_script.cmake"
    COMMENT "Embedding SQL into ${ARG_OUTPUT}"
    VERBATIM)
endfunction()
