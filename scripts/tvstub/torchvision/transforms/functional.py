def to_tensor(picture):
    raise NotImplementedError("torchvision is stubbed out (scripts/tvstub)")
