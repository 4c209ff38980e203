"""Sync between devices and the hub: bundles, crypto and merge, on top of the store's clocks."""
