# embed_files(OUTPUT out.cpp NAMESPACE ns FUNCTION fn FILES a b ...)
# Generates a C++ source that returns the named files' bytes, so data such as
# X12 schemas ships inside the binary and the binary stays self-contained.
function(embed_files)
  cmake_parse_arguments(EF "" "OUTPUT;NAMESPACE;FUNCTION;BASE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${EF_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${EF_OUTPUT} -DNAMESPACE=${EF_NAMESPACE}
            -DFUNCTION=${EF_FUNCTION} -DBASE=${EF_BASE} "-DFILES=${EF_FILES}"
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedFilesScript.cmake
    DEPENDS ${EF_FILES} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedFilesScript.cmake
    COMMENT "Embedding ${EF_FUNCTION} data"
    VERBATIM)
endfunction()
