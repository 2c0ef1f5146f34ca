// Replaced by the Tensor module's first real file.
