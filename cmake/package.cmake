# The Debian package, synthminer_<version>_amd64.deb (scripts/package runs
# cpack on a build configured with CMAKE_INSTALL_PREFIX=/usr). CPack's DEB
# generator packs what the project's own install rules put in place (the
# binaries, the unit, sysusers/tmpfiles, /usr/share/synthminer), so the
# package and `cmake --install` cannot drift apart; this file adds only what
# the package alone ships (component "deb", left out of a plain install):
# /etc/synthminer/config.json as a conffile, the docs, copyright, changelog
# and man pages, and the maintainer scripts in packaging/debian/.
set(synthminer_deb_dir ${PROJECT_SOURCE_DIR}/packaging/debian)
set(synthminer_deb_out ${PROJECT_BINARY_DIR}/packaging/debian)

# The example config as /etc/synthminer/config.json: 0640 in the archive,
# root:synthminer from postinst's stat override. Never part of a plain
# install, which would overwrite an admin's config.
install(FILES systemd/config.example.json
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/synthminer RENAME config.json
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
        COMPONENT deb EXCLUDE_FROM_ALL)

# Docs keep the repository's layout under /usr/share/doc/synthminer, so the
# README's links (docs/..., config/README.md) still resolve; docs/SYSTEMD.md
# is installed beside README.md by systemd/CMakeLists.txt (the unit's
# Documentation=), and docs/SYSTEMD.md links to it.
file(GLOB synthminer_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
list(REMOVE_ITEM synthminer_docs ${PROJECT_SOURCE_DIR}/docs/SYSTEMD.md)
file(MAKE_DIRECTORY ${synthminer_deb_out})
file(CREATE_LINK ../SYSTEMD.md ${synthminer_deb_out}/SYSTEMD.md SYMBOLIC)
install(FILES README.md ${synthminer_deb_dir}/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${synthminer_docs} ${synthminer_deb_out}/SYSTEMD.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES config/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/config COMPONENT deb EXCLUDE_FROM_ALL)
# A native package's changelog: changelog.gz, compressed without a time
# stamp so that the package is reproducible.
execute_process(COMMAND gzip -9nc INPUT_FILE ${synthminer_deb_dir}/changelog
                OUTPUT_FILE ${synthminer_deb_out}/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${synthminer_deb_dir}/changelog)
install(FILES ${synthminer_deb_out}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT deb EXCLUDE_FROM_ALL)
# The hand-written man pages (tests/package/man_pages_test.sh checks them),
# compressed the same way.
foreach(page synthminerd.8 jarvis-bench.1)
  string(REGEX REPLACE ".*\\." "" section ${page})
  execute_process(COMMAND gzip -9nc INPUT_FILE ${synthminer_deb_dir}/${page}
                  OUTPUT_FILE ${synthminer_deb_out}/${page}.gz COMMAND_ERROR_IS_FATAL ANY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${synthminer_deb_dir}/${page})
  install(FILES ${synthminer_deb_out}/${page}.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT deb EXCLUDE_FROM_ALL)
endforeach()
# config.json is 0640 on purpose (pool passwords): lintian is told so.
install(FILES ${synthminer_deb_dir}/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME synthminer
        COMPONENT deb EXCLUDE_FROM_ALL)

# Maintainer scripts name the installed sysusers/tmpfiles paths.
set(PREFIX ${CMAKE_INSTALL_PREFIX})
foreach(script postinst prerm postrm)
  configure_file(${synthminer_deb_dir}/${script}.in ${synthminer_deb_out}/${script} @ONLY)
endforeach()
file(WRITE ${synthminer_deb_out}/conffiles "${CMAKE_INSTALL_FULL_SYSCONFDIR}/synthminer/config.json\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME synthminer)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "synthminer dev <dev@synthminer.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SHA-256d mining daemon (Stratum v1, CPU SIMD and CUDA)")
# The extended description: lines under 80 columns (lintian), blank line = ".".
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "synthminerd mines SHA-256d against Stratum v1 pools or a node's\n"
       "getblocktemplate, on the CPU (SHA-NI, AVX-512, AVX2) and on NVIDIA GPUs\n"
       "(the CUDA runtime is linked in; the driver is not a dependency), with a\n"
       "JSON API, Prometheus metrics and a systemd unit with watchdog and reload.\n"
       "\n"
       "The unit is installed but neither enabled nor started: edit\n"
       "/etc/synthminer/config.json, then systemctl enable --now synthminerd.")
# Everything in one package: the unnamed component (the project's install
# rules) and "deb" (above).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified deb)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: the runtime libraries, from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | systemd-sysusers, systemd | systemd-tmpfiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${synthminer_deb_out}/postinst ${synthminer_deb_out}/prerm
    ${synthminer_deb_out}/postrm ${synthminer_deb_out}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
include(CPack)
