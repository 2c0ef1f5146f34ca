class VisionDataset:
    """Present so `streaming.vision` imports; using it is an error."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("torchvision is stubbed out (scripts/tvstub)")


class CIFAR10(VisionDataset):
    pass
