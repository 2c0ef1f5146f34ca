// Replaced by the Model module's first real file.
