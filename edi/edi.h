// edi: the X12 library of edigate. Standard library only.
//
// The model: bytes -> SegmentReader (delimiters per ISA, quirks normalised, zero-copy
// Segment views, bounded memory) -> Validator (envelopes + per-set schema checks, streaming
// events to a ValidationSink) -> consumers: AckBuilder (997/TA1 out), AckReader (997/999/TA1
// in), and the gateway's mapper. Writers go the other way (InterchangeWriter). Large inputs
// are read and proved clean (CleanCheck) on a second thread (ReadAhead); same results.
//
// Errors are values: Result<T> / Status carry an Error with the byte offset, the segment
// position and the X12 code (TA105, AK905, AK502, AK304, AK403). Nothing here throws.
#pragma once

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "edi/delimiters.h"
#include "edi/error.h"
#include "edi/schema.h"
#include "edi/segment.h"
#include "edi/segment_reader.h"
#include "edi/validator.h"
#include "edi/writer.h"
