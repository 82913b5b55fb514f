/**
*  Plot
*  Copyright (c) John Sundell 2019
*  MIT license, see LICENSE file for details
*/

import Foundation

/// Enum defining possible encodings to use when rendering a document
public enum DocumentEncoding: String {
    /// Use the UTF-8 Unicode encoding
    case utf8 = "UTF-8"
}
