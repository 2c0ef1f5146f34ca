"""A stand-in for torchvision: mosaicml-streaming imports it for its vision datasets only, and the
real package would pull a CUDA build of torch. Nothing here is meant to run."""
