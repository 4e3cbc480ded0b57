#!/usr/bin/env python3
# supportdesk-server links the model and SQLite layers of the core only:
# nothing of the sync layer (keyring) or of the documents layer (cairo,
# Pango) may reach it. Fails with the libraries that do.
import subprocess
import sys

FORBIDDEN = ('libsecret-1', 'libcairo', 'libpango', 'libgtk', 'libadwaita')

server = sys.argv[1]
out = subprocess.run(['ldd', server], check=True, capture_output=True, text=True).stdout
linked = [line.split()[0] for line in out.splitlines() if line.strip()]
bad = [lib for lib in linked if lib.startswith(FORBIDDEN)]
# The sync and documents layers' symbols must not be in the binary either.
symbols = subprocess.run(['nm', '--defined-only', server], check=True, capture_output=True, text=True).stdout
layer_symbols = [s for s in ('sd_local_store_open', 'sd_rest_client_new', 'sd_document_new')
                 if (' ' + s + '\n') in symbols]
if bad or layer_symbols:
    print('supportdesk-server reaches beyond model and sqlite:', ', '.join(bad + layer_symbols))
    sys.exit(1)
print('supportdesk-server links %d libraries, none of sync or documents' % len(linked))
