/**
 *  Plot
 *  Copyright (c) John Sundell 2021
 *  MIT license, see LICENSE file for details
 */

/// Enum defining an element's text directionality.
public enum Directionality: String {
    case leftToRight = "ltr"
    case rightToLeft = "rtl"
    case auto = "auto"
}
