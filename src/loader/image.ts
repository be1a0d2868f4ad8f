// What a loader produces: bytes to place in guest-physical memory and where to start.
export interface LoadSegment { addr: bigint; data: Uint8Array; memSize: number }
export interface LoadedImage { entry: bigint; segments: LoadSegment[] }
