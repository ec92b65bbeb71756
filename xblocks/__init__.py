"""Party-training XBlocks (one module per block)."""
