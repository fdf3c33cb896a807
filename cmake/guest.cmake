# Build guest code (assembly or C for aarch64 / riscv64) with clang into ELF
# relocatable objects. Used by examples/ and tests/ fixtures.
#
# rasim_guest_object(OUT <path> SRC <file> ARCH aarch64|rv64 [FLAGS ...])
function(rasim_guest_object)
  cmake_parse_arguments(G "" "OUT;SRC;ARCH" "FLAGS;DEPENDS" ${ARGN})
  if(G_ARCH STREQUAL "aarch64")
    set(target_flags --target=aarch64-linux-gnu -march=armv8.5-a+memtag)
  elseif(G_ARCH STREQUAL "rv64")
    set(target_flags --target=riscv64-linux-gnu -march=rv64imac)
  else()
    message(FATAL_ERROR "rasim_guest_object: unknown ARCH '${G_ARCH}'")
  endif()
  get_filename_component(out_dir ${G_OUT} DIRECTORY)
  add_custom_command(
    OUTPUT ${G_OUT}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${CLANG} ${target_flags} -nostdinc -ffreestanding ${G_FLAGS} -MD -MF ${G_OUT}.d
            -c ${G_SRC} -o ${G_OUT}
    DEPENDS ${G_SRC} ${G_DEPENDS}
    # clang's dependency file: a routine rebuilds when an .inc it includes changes.
    DEPFILE ${G_OUT}.d
    COMMENT "Guest ${G_ARCH}: ${G_SRC}"
    VERBATIM)
endfunction()
