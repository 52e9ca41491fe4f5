"""Files: where they are found, checked reading, atomic writing, manifests and input hashes.

The bottom layer with :mod:`econsim.errors`; it imports nothing else of econsim.
"""
